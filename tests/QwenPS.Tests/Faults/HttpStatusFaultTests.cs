using System;
using System.Linq;
using System.Threading.Tasks;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Faults
{
    /// <summary>Error statuses, both error envelopes, unknown shapes, and 200s that are not a DashScope answer.</summary>
    public sealed class HttpStatusFaultTests : FaultTestBase
    {
        private const string LoginPage = "<!DOCTYPE html><html><head><title>Corporate proxy</title></head><body><form>Please log in to continue</form></body></html>";
        public HttpStatusFaultTests(FaultFixture fixture)
            : base(fixture)
        {
        }

        [Theory]
        [InlineData(500, QwenErrorIds.ServerError)]
        [InlineData(502, QwenErrorIds.ServerError)]
        [InlineData(503, QwenErrorIds.ServiceUnavailable)]
        [InlineData(504, QwenErrorIds.ServerError)]
        [InlineData(408, QwenErrorIds.RequestTimeout)]
        public async Task A_transient_status_is_retried_and_the_call_succeeds(int status, string warnedId)
        {
            Server.Enqueue(ServerBehavior.Status(status));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: Fault.Quick);

            Assert.Equal("Answer to: x", outcome.Success().Content);
            Assert.StartsWith(warnedId + ": DashScope returned HTTP " + status, Assert.Single(outcome.Output.Warnings));
            Assert.Single(test.Delays);
        }

        [Theory]
        [InlineData(500, QwenErrorIds.ServerError, QwenErrorCategory.ResourceUnavailable)]
        [InlineData(502, QwenErrorIds.ServerError, QwenErrorCategory.ResourceUnavailable)]
        [InlineData(503, QwenErrorIds.ServiceUnavailable, QwenErrorCategory.ResourceUnavailable)]
        [InlineData(504, QwenErrorIds.ServerError, QwenErrorCategory.ResourceUnavailable)]
        [InlineData(408, QwenErrorIds.RequestTimeout, QwenErrorCategory.OperationTimeout)]
        public async Task A_transient_status_that_persists_ends_in_its_documented_error(int status, string id, QwenErrorCategory category)
        {
            Server.Enqueue(ServerBehavior.Status(status), times: 4);
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 4, within: Fault.Quick);

            QwenException error = outcome.Failure(id, category);
            Assert.Equal(status, error.StatusCode);
            Assert.Equal(4, error.Attempts);
            Assert.Equal("qwen-plus", error.Target);
            Assert.Equal(3, outcome.Output.Warnings.Count);
        }

        [Theory]
        [InlineData(501)]
        [InlineData(505)]
        public async Task Not_implemented_and_version_not_supported_are_not_retried(int status)
        {
            Server.Enqueue(ServerBehavior.Status(status));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.False(outcome.Failure(QwenErrorIds.ServerError, QwenErrorCategory.ResourceUnavailable).IsTransient);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_200_with_an_html_proxy_login_page_is_UnexpectedResponse(bool stream)
        {
            Server.Enqueue(ServerBehavior.Body(200, LoginPage, "text/html; charset=utf-8"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream)).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.ProtocolError);
            Assert.Contains("HTML page", error.Message);
            Assert.Contains("Please log in to continue", error.Message);
            Assert.Equal(Server.Requests[0].RequestId, error.RequestId);
        }

        [Theory]
        [InlineData(true, "text/event-stream")]
        [InlineData(true, "application/json")]
        [InlineData(true, null)]
        [InlineData(false, "application/json")]
        [InlineData(false, null)]
        public async Task A_200_with_an_empty_body_is_UnexpectedResponse(bool stream, string? contentType)
        {
            Server.Enqueue(ServerBehavior.Body(200, string.Empty, contentType));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream)).Verify(Server, requests: 1, within: Fault.Quick);

            outcome.Failure(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.ProtocolError);
        }

        [Theory]
        [InlineData(false, "text/plain", "Service temporarily rerouted.")]
        [InlineData(false, "application/xml", "<error>maintenance</error>")]
        [InlineData(true, "application/xml", "<error>maintenance</error>")]
        [InlineData(true, "text/plain", "Service temporarily rerouted.")]
        public async Task A_body_with_the_wrong_content_type_is_UnexpectedResponse(bool stream, string contentType, string body)
        {
            Server.Enqueue(ServerBehavior.Body(200, body, contentType));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream)).Verify(Server, requests: 1, within: Fault.Quick);

            outcome.Failure(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.ProtocolError);
        }

        [Fact]
        public async Task A_stream_sent_with_a_nonstandard_content_type_is_still_read_when_it_parses()
        {
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = Fault.Sixteen, ContentType = "text/plain; charset=utf-8" }));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.Equal("0123456789abcdef", outcome.Success().Content);
        }

        [Fact]
        public async Task The_compat_error_envelope_gives_id_category_code_type_and_request_id()
        {
            Server.Enqueue(ServerBehavior.Error(404, "model_not_found", "The model `qwen-plsu` does not exist or you do not have access to it."));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, model: "qwen-plsu")).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.ModelNotFound, QwenErrorCategory.ObjectNotFound);
            Assert.Equal("model_not_found", error.ServiceCode);
            Assert.Equal("invalid_request_error", error.ServiceType);
            Assert.Equal(Server.Requests[0].RequestId, error.RequestId);
            Assert.Equal("qwen-plsu", error.Target);
            Assert.Contains("case-sensitive", error.Message);
        }

        [Fact]
        public async Task The_native_error_envelope_gives_id_category_code_and_request_id()
        {
            Server.Enqueue(ServerBehavior.NativeError(401, "InvalidApiKey", "Invalid API-key provided."));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream: false)).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.InvalidApiKey, QwenErrorCategory.AuthenticationError);
            Assert.Equal("InvalidApiKey", error.ServiceCode);
            Assert.Equal(Server.Requests[0].RequestId, error.RequestId);
            Assert.Contains("Invalid API-key provided.", error.Message);
            Assert.Contains("region", error.Message);
        }

        [Fact]
        public async Task Content_moderation_in_either_envelope_is_DataInspectionFailed_and_not_retried()
        {
            Server.Enqueue(ServerBehavior.Error(400, "data_inspection_failed", "Input data may contain inappropriate content."));
            Server.Enqueue(ServerBehavior.NativeError(400, "DataInspectionFailed", "Output data may contain inappropriate content."));
            TestClient test = Fixture.CreateClient();

            (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick).Failure(QwenErrorIds.DataInspectionFailed, QwenErrorCategory.InvalidData);
            Server.ClearRequests();
            (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick).Failure(QwenErrorIds.DataInspectionFailed, QwenErrorCategory.InvalidData);
        }

        [Fact]
        public async Task An_unknown_error_shape_reports_the_status_and_a_short_snippet()
        {
            Server.Enqueue(ServerBehavior.Body(400, "{\"detail\":{\"reason\":\"upstream rejected the payload\"}}", "application/json"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.InvalidParameter, QwenErrorCategory.InvalidArgument);
            Assert.Null(error.ServiceCode);
            Assert.Contains("HTTP 400", error.Message);
            Assert.Contains("upstream rejected the payload", error.Message);
        }

        [Fact]
        public async Task An_error_envelope_with_invalid_text_still_reports_its_status()
        {
            byte[] body = System.Text.Encoding.UTF8.GetBytes("{\"error\":{\"code\":\"invalid_parameter_error\",\"message\":\"bad \\udc00 and \"}}")
                .Concat(new byte[] { 0xFF, 0xFE }).ToArray();
            Server.Enqueue(ServerBehavior.Body(400, body, "application/json"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.Equal(400, outcome.Failure(QwenErrorIds.InvalidParameter, QwenErrorCategory.InvalidArgument).StatusCode);
        }

        [Fact]
        public async Task A_gateway_html_error_page_is_retried_like_its_status()
        {
            Server.Enqueue(ServerBehavior.Body(502, "<html><body><h1>502 Bad Gateway</h1>" + new string('x', 5000) + "</body></html>", "text/html"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: Fault.Quick);

            outcome.Success();
            string warning = Assert.Single(outcome.Output.Warnings);
            Assert.Contains("502 Bad Gateway", warning);
            Assert.True(warning.Length < 600, "The snippet must be short: " + warning.Length);
        }

        [Fact]
        public async Task An_error_body_that_stalls_is_given_up_on_and_the_status_still_decides()
        {
            Server.Enqueue(ServerBehavior.RawBody(503, "application/json", RawSegment.Text("{\"error\":{\"code\":"), RawSegment.Delay(TimeSpan.FromSeconds(30))));
            TestClient test = Fixture.CreateClient(s => s.IdleTimeout = Fault.RetryIdle);

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: TimeSpan.FromSeconds(8));

            outcome.Success();
            Assert.StartsWith(QwenErrorIds.ServiceUnavailable, Assert.Single(outcome.Output.Warnings));
            await Fault.AssertServerIdleAsync(Server);
        }

        [Fact]
        public async Task A_200_carrying_an_error_envelope_is_that_error_not_an_answer()
        {
            Server.Enqueue(ServerBehavior.Body(200, "{\"error\":{\"code\":\"invalid_parameter_error\",\"message\":\"parameter.enable_thinking must be set to false for non-streaming calls\",\"type\":\"invalid_request_error\"},\"request_id\":\"r-1\"}", "application/json"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream: false)).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.HttpError, QwenErrorCategory.InvalidResult);
            Assert.Equal("invalid_parameter_error", error.ServiceCode);
            Assert.Contains("enable_thinking", error.Message);
        }

        [Theory]
        [InlineData("{\"object\":\"chat.completion\",\"choices\":[]}")]
        [InlineData("{\"foo\":1}")]
        [InlineData("[1,2,3]")]
        [InlineData("null")]
        [InlineData("{\"choices\":[{\"message\":null}]}")]
        public async Task A_200_with_json_of_an_unknown_shape_is_UnexpectedResponse(string body)
        {
            Server.Enqueue(ServerBehavior.Body(200, body, "application/json"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream: false)).Verify(Server, requests: 1, within: Fault.Quick);

            outcome.Failure(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.ProtocolError);
        }

        [Theory]
        [InlineData("{\"choices\":[{\"message\":{\"content\":\"ok\",\"audio\":{\"x\":[1,{}]}},\"extra\":true}],\"service_tier\":null,\"new_field\":{\"deep\":[[[]]]}}")]
        [InlineData("{\"id\":\"chatcmpl-1\",\"created\":99999999999999,\"choices\":[{\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}")]
        [InlineData("{\"created\":-99999999999999,\"usage\":null,\"choices\":[{\"message\":{\"content\":\"ok\",\"tool_calls\":null}}]}")]
        public async Task A_completion_with_unknown_missing_or_out_of_range_fields_is_still_read(string body)
        {
            Server.Enqueue(ServerBehavior.Body(200, body, "application/json"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream: false)).Verify(Server, requests: 1, within: Fault.Quick);

            QwenChatResponse response = outcome.Success();
            Assert.Equal("ok", response.Content);
            Assert.Null(response.Created);
        }
    }
}
