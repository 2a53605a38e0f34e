using Xunit;
using QwenPS.Errors;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// The exact message, fields and classification of an HTTP error (docs/dashscope-notes.md, "Errors"): what a user reads
    /// in the ErrorRecord, and which errors are retried.
    /// </summary>
    public class ErrorMessageTests
    {
        private static QwenException Map(int status, string? reason, ServiceError? error, string? snippet = null, string? requestId = null, object? target = null, string? key = null) =>
            ErrorMapper.FromHttp(status, reason, error, snippet, requestId, target, key);

        [Fact]
        public void The_message_names_status_reason_code_text_and_request_id()
        {
            QwenException error = Map(400, "Bad Request", new ServiceError { Code = "InvalidParameter", Message = "top_p must be in (0, 1]", Type = "invalid_request_error" }, requestId: "r-1", target: "qwen-plus");
            Assert.Equal("DashScope returned HTTP 400 Bad Request (InvalidParameter): top_p must be in (0, 1] (request id r-1)", error.Message);
            Assert.Equal("invalid_request_error", error.ServiceType);
            Assert.Equal("qwen-plus", error.Target);
        }

        [Fact]
        public void Without_reason_code_or_text_the_message_says_there_are_no_details()
        {
            QwenException error = Map(500, null, null);
            Assert.Equal("DashScope returned HTTP 500: no error details.", error.Message);
            Assert.Null(error.ServiceCode);
            Assert.Null(error.ServiceType);
            Assert.Null(error.RequestId);
            Assert.Null(error.Target);
        }

        [Fact]
        public void An_empty_reason_and_code_add_nothing_and_the_snippet_stands_in_for_the_text()
        {
            QwenException error = Map(502, string.Empty, new ServiceError { Code = string.Empty }, snippet: "<html>gateway</html>");
            Assert.Equal("DashScope returned HTTP 502: <html>gateway</html>", error.Message);
        }

        [Fact]
        public void The_header_request_id_wins_over_the_one_in_the_body()
        {
            QwenException error = Map(429, null, new ServiceError { Code = "Throttling", Message = "slow down", RequestId = "from-body" }, requestId: "from-header");
            Assert.Equal("from-header", error.RequestId);
            Assert.EndsWith("(request id from-header)", error.Message);
            Assert.DoesNotContain("from-body", error.Message);
        }

        [Fact]
        public void The_key_is_masked_in_the_code_type_and_request_id_too()
        {
            const string Key = "my-gateway-key-1";
            QwenException error = Map(400, null, new ServiceError { Code = "c " + Key, Message = "m", Type = "t " + Key }, requestId: "id " + Key, key: Key);
            Assert.Equal("c ***", error.ServiceCode);
            Assert.Equal("t ***", error.ServiceType);
            Assert.Equal("id ***", error.RequestId);
            Assert.DoesNotContain(Key, error.Message);
        }

        [Theory]
        [InlineData("Incorrect API key provided", "Incorrect API key provided. DashScope keys belong")]
        [InlineData("Incorrect API key provided.  ", "Incorrect API key provided. DashScope keys belong")]
        [InlineData("Wrong key!", "Wrong key! DashScope keys belong")]
        [InlineData("Wrong key?", "Wrong key? DashScope keys belong")]
        [InlineData("密钥错误。", "密钥错误。 DashScope keys belong")]
        [InlineData("密钥错误！", "密钥错误！ DashScope keys belong")]
        [InlineData("密钥错误？", "密钥错误？ DashScope keys belong")]
        public void A_hint_follows_the_service_text_as_its_own_sentence(string text, string expected)
        {
            QwenException error = Map(401, null, new ServiceError { Message = text });
            Assert.Contains("HTTP 401: " + expected, error.Message);
        }

        [Fact]
        public void An_empty_text_ends_no_sentence()
        {
            Assert.Equal(string.Empty, ErrorMapper.EndSentence("   "));
            Assert.Equal("a.", ErrorMapper.EndSentence("a"));
        }

        [Fact]
        public void A_missing_model_and_a_billing_problem_get_their_own_hints()
        {
            QwenException missing = Map(404, null, new ServiceError { Code = "ModelNotFound", Message = "The model does not exist" });
            Assert.Equal(QwenErrorIds.ModelNotFound, missing.ErrorId);
            Assert.EndsWith("The model does not exist. Model names are case-sensitive and differ between regions.", missing.Message);

            QwenException billing = Map(400, null, new ServiceError { Code = "Arrearage", Message = "Access denied, account is in arrears" });
            Assert.EndsWith("in arrears. This is a billing or activation problem on the account; retrying will not help.", billing.Message);

            QwenException other = Map(400, null, new ServiceError { Code = "InvalidParameter", Message = "bad" });
            Assert.EndsWith(": bad", other.Message);
        }

        [Theory]
        [InlineData(400, "PostpaidBillOverdue", null, QwenErrorIds.BillingError, false)]
        [InlineData(403, "AllocationQuota.FreeTierOnly", null, QwenErrorIds.BillingError, false)]
        [InlineData(400, null, "Free allocated quota exceeded.", QwenErrorIds.InvalidParameter, false)]
        [InlineData(400, "InvalidParameter", "File parsing in progress, please retry later", QwenErrorIds.InvalidParameter, false)]
        [InlineData(505, null, null, QwenErrorIds.ServerError, false)]
        [InlineData(599, null, null, QwenErrorIds.ServerError, true)]
        [InlineData(600, null, null, QwenErrorIds.HttpError, false)]
        [InlineData(499, null, null, QwenErrorIds.HttpError, false)]
        [InlineData(404, "model_not_found", null, QwenErrorIds.ModelNotFound, false)]
        public void Less_common_statuses_and_codes_are_classified(int status, string? code, string? message, string id, bool transient)
        {
            (string actualId, QwenErrorCategory _, bool actualTransient) = ErrorMapper.Classify(status, code, message);
            Assert.Equal(id, actualId);
            Assert.Equal(transient, actualTransient);
        }

        [Fact]
        public void A_file_still_parsing_is_a_resource_not_yet_available_rather_than_a_bad_argument()
        {
            (_, QwenErrorCategory category, _) = ErrorMapper.Classify(400, "InvalidParameter", "file parsing in progress");
            Assert.Equal(QwenErrorCategory.ResourceUnavailable, category);
            (_, QwenErrorCategory other, _) = ErrorMapper.Classify(400, "InvalidParameter", "bad file");
            Assert.Equal(QwenErrorCategory.InvalidArgument, other);
        }
    }
}
