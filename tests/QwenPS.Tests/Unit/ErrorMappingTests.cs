using System.Text;
using Xunit;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Errors;
using QwenPS.Files.Wire;

namespace QwenPS.Tests.Unit
{
    public class ErrorMappingTests
    {
        private static ServiceError? Parse(string json) => ServiceErrorParser.TryParse(Encoding.UTF8.GetBytes(json));

        [Fact]
        public void The_compat_envelope_parses()
        {
            ServiceError error = Parse("{\"error\":{\"code\":\"invalid_parameter_error\",\"param\":null,\"message\":\"parameter.enable_thinking must be set to false for non-streaming calls\",\"type\":\"invalid_request_error\"},\"id\":\"chatcmpl-145078e8\",\"request_id\":\"145078e8\"}")!;
            Assert.Equal("invalid_parameter_error", error.Code);
            Assert.Equal("invalid_request_error", error.Type);
            Assert.StartsWith("parameter.enable_thinking", error.Message);
            Assert.Equal("145078e8", error.RequestId);
        }

        [Fact]
        public void The_native_envelope_parses()
        {
            ServiceError error = Parse("{\"code\":\"InvalidApiKey\",\"message\":\"Invalid API-key provided.\",\"request_id\":\"r-1\"}")!;
            Assert.Equal("InvalidApiKey", error.Code);
            Assert.Equal("Invalid API-key provided.", error.Message);
            Assert.Equal("r-1", error.RequestId);
        }

        [Fact]
        public void A_compat_error_without_code_parses_its_message()
        {
            ServiceError error = Parse("{\"error\":{\"message\":\"Required body invalid, please check the request body format.\",\"type\":\"invalid_request_error\"}}")!;
            Assert.Null(error.Code);
            Assert.StartsWith("Required body invalid", error.Message);
        }

        [Theory]
        [InlineData("<html><body>Proxy login</body></html>")]
        [InlineData("")]
        [InlineData("{\"unexpected\":true}")]
        [InlineData("[1,2,3]")]
        [InlineData("{\"error\":")]
        public void Anything_else_is_not_an_envelope(string body)
        {
            Assert.Null(Parse(body));
        }

        [Fact]
        public void A_numeric_code_is_read_as_text()
        {
            Assert.Equal("1001", Parse("{\"error\":{\"code\":1001,\"message\":\"m\"}}")!.Code);
        }

        [Theory]
        [InlineData(400, "invalid_parameter_error", QwenErrorIds.InvalidParameter, QwenErrorCategory.InvalidArgument, false)]
        [InlineData(400, "data_inspection_failed", QwenErrorIds.DataInspectionFailed, QwenErrorCategory.InvalidData, false)]
        [InlineData(400, "DataInspectionFailed", QwenErrorIds.DataInspectionFailed, QwenErrorCategory.InvalidData, false)]
        [InlineData(400, "Arrearage", QwenErrorIds.BillingError, QwenErrorCategory.QuotaExceeded, false)]
        [InlineData(401, "invalid_api_key", QwenErrorIds.InvalidApiKey, QwenErrorCategory.AuthenticationError, false)]
        [InlineData(403, "AccessDenied", QwenErrorIds.AccessDenied, QwenErrorCategory.PermissionDenied, false)]
        [InlineData(404, "model_not_found", QwenErrorIds.ModelNotFound, QwenErrorCategory.ObjectNotFound, false)]
        [InlineData(404, null, QwenErrorIds.NotFound, QwenErrorCategory.ObjectNotFound, false)]
        [InlineData(408, "RequestTimeOut", QwenErrorIds.RequestTimeout, QwenErrorCategory.OperationTimeout, true)]
        [InlineData(413, "BadRequest.TooLarge", QwenErrorIds.PayloadTooLarge, QwenErrorCategory.LimitsExceeded, false)]
        [InlineData(415, "BadRequest.UnsupportedFileFormat", QwenErrorIds.UnsupportedMedia, QwenErrorCategory.InvalidData, false)]
        [InlineData(429, "Throttling.RateQuota", QwenErrorIds.RateLimited, QwenErrorCategory.LimitsExceeded, true)]
        [InlineData(429, "insufficient_quota", QwenErrorIds.RateLimited, QwenErrorCategory.LimitsExceeded, true)]
        [InlineData(429, "PrepaidBillOverdue", QwenErrorIds.BillingError, QwenErrorCategory.QuotaExceeded, false)]
        [InlineData(429, "CommodityNotPurchased", QwenErrorIds.BillingError, QwenErrorCategory.QuotaExceeded, false)]
        [InlineData(500, "InternalError", QwenErrorIds.ServerError, QwenErrorCategory.ResourceUnavailable, true)]
        [InlineData(502, null, QwenErrorIds.ServerError, QwenErrorCategory.ResourceUnavailable, true)]
        [InlineData(503, "ModelUnavailable", QwenErrorIds.ServiceUnavailable, QwenErrorCategory.ResourceUnavailable, true)]
        [InlineData(504, null, QwenErrorIds.ServerError, QwenErrorCategory.ResourceUnavailable, true)]
        [InlineData(501, null, QwenErrorIds.ServerError, QwenErrorCategory.ResourceUnavailable, false)]
        [InlineData(418, null, QwenErrorIds.HttpError, QwenErrorCategory.InvalidResult, false)]
        public void Status_and_code_map_to_id_category_and_retryability(int status, string? code, string id, QwenErrorCategory category, bool transient)
        {
            QwenException error = ErrorMapper.FromHttp(status, "Reason", new ServiceError { Code = code, Message = "msg" }, null, "req-1", "qwen-plus", null);
            Assert.Equal(id, error.ErrorId);
            Assert.Equal(category, error.Category);
            Assert.Equal(transient, error.IsTransient);
            Assert.Equal(status, error.StatusCode);
            Assert.Equal(code, error.ServiceCode);
            Assert.Equal("req-1", error.RequestId);
            Assert.Equal("qwen-plus", error.Target);
            Assert.Contains("req-1", error.Message);
        }

        [Fact]
        public void Free_quota_exhausted_429_is_billing_not_throttling()
        {
            QwenException error = ErrorMapper.FromHttp(429, null, new ServiceError { Code = "Throttling", Message = "Free allocated quota exceeded." }, null, null, null, null);
            Assert.Equal(QwenErrorIds.BillingError, error.ErrorId);
            Assert.False(error.IsTransient);
        }

        [Fact]
        public void A_401_says_the_key_may_belong_to_another_region()
        {
            QwenException error = ErrorMapper.FromHttp(401, "Unauthorized", new ServiceError { Code = "invalid_api_key", Message = "Incorrect API key provided." }, null, null, null, null);
            Assert.Contains("region", error.Message);
        }

        [Fact]
        public void The_body_request_id_is_used_when_no_header_gave_one()
        {
            QwenException error = ErrorMapper.FromHttp(400, null, new ServiceError { Code = "x", Message = "m", RequestId = "from-body" }, null, null, null, null);
            Assert.Equal("from-body", error.RequestId);
        }

        [Fact]
        public void Without_an_envelope_the_message_carries_the_status_and_a_snippet()
        {
            string snippet = ServiceErrorParser.Snippet(Encoding.UTF8.GetBytes("<html>\n<body>   Bad   gateway </body></html>"));
            QwenException error = ErrorMapper.FromHttp(502, "Bad Gateway", null, snippet, null, null, null);
            Assert.Contains("HTTP 502", error.Message);
            Assert.Contains("<html> <body> Bad gateway </body></html>", error.Message);
        }

        [Fact]
        public void The_known_key_and_key_shapes_are_redacted_from_service_messages()
        {
            QwenException error = ErrorMapper.FromHttp(
                401,
                null,
                new ServiceError { Code = "invalid_api_key", Message = "Incorrect API key provided: sk-canary0123456789 (Bearer sk-canary0123456789)" },
                null,
                null,
                null,
                "sk-canary0123456789");
            Assert.DoesNotContain("canary0123456789", error.Message);
        }
    }

    public class SecretRedactorTests
    {
        [Theory]
        [InlineData("key=sk-abcdef1234567890", "key=***")]
        [InlineData("Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***")]
        [InlineData("nothing secret here", "nothing secret here")]
        [InlineData("x SK-ABCDEF123456 and bEaReR\tzzz", "x *** and bEaReR\t***")]
        [InlineData("s\u212A-abcdef123 (Kelvin sign: the regex ignores case with it)", "*** (Kelvin sign: the regex ignores case with it)")]
        [InlineData("HTTP 200 in 3 ms, request id 5f8c2a4e-0b1d-4c1e-9a57-3d2f6b7e8a90", "HTTP 200 in 3 ms, request id 5f8c2a4e-0b1d-4c1e-9a57-3d2f6b7e8a90")]
        [InlineData("-", "-")]
        [InlineData("", "")]
        public void Key_shapes_are_masked(string input, string expected)
        {
            Assert.Equal(expected, SecretRedactor.Redact(input));
        }

        [Fact]
        public void The_known_key_is_masked_wherever_it_appears_even_when_it_is_not_key_shaped()
        {
            Assert.Equal("a *** b ***", SecretRedactor.Redact("a my-odd-key-1 b my-odd-key-1", "my-odd-key-1"));
        }
    }
}
