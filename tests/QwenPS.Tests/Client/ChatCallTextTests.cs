using System.Linq;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Chat;
using QwenPS.TestServer;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Client
{
    /// <summary>
    /// What a chat call says (docs/architecture.md, "One streamed chat, end to end") and sends in its headers, and the exact
    /// text of the stream failures a user reads (docs/dashscope-notes.md, "Streaming").
    /// </summary>
    public sealed class ChatCallTextTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public ChatCallTextTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private static ChatRequest Request(bool stream, string text = "hello") =>
            new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, text) }) { Stream = stream };

        [Theory]
        [InlineData(false, "not streamed", "application/json")]
        [InlineData(true, "streamed", "text/event-stream")]
        public async Task Verbose_says_what_is_sent_and_the_accept_header_asks_for_the_right_body(bool stream, string how, string accept)
        {
            TestClient test = _fixture.CreateClient();
            ChatRequest request = Request(stream);
            int bytes = QwenPS.Chat.Wire.ChatRequestWriter.Write(request).Length;

            await test.Chat.ChatAsync(request, null, default);

            Assert.Contains("Chat with qwen-plus: 1 message(s), " + bytes + " bytes, " + how + ".", test.Output.Verbose);
            Assert.Equal(accept, Server.Requests[0].Header("Accept"));
            Assert.StartsWith("application/json", Server.Requests[0].Header("Content-Type"));
            Assert.Contains(test.Output.Debug, d => d.StartsWith("Request body: {\"model\":\"qwen-plus\"", System.StringComparison.Ordinal));
        }

        [Fact]
        public async Task Debug_shows_a_long_body_cut_with_its_length()
        {
            TestClient test = _fixture.CreateClient();
            ChatRequest request = Request(false, new string('z', 5000));
            int bytes = QwenPS.Chat.Wire.ChatRequestWriter.Write(request).Length;

            await test.Chat.ChatAsync(request, null, default);

            string debug = Assert.Single(test.Output.Debug, d => d.StartsWith("Request body: ", System.StringComparison.Ordinal));
            Assert.EndsWith("… (" + bytes + " characters)", debug);
            Assert.Equal("Request body: ".Length + 4000 + ("… (" + bytes + " characters)").Length, debug.Length);
        }

        [Fact]
        public async Task A_complete_stream_says_how_many_chunks_and_characters_arrived()
        {
            Server.Enqueue(ServerBehavior.RawStream(
                RawSegment.Text("data: {\"id\":\"chatcmpl-v\",\"choices\":[{\"delta\":{\"content\":\"abc\"}}]}\n\n"),
                RawSegment.Text("data: {\"choices\":[{\"delta\":{\"content\":\"de\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")));
            TestClient test = _fixture.CreateClient();

            await test.Chat.ChatAsync(Request(true), null, default);

            Assert.Contains("Stream complete: 2 chunk(s), 5 characters, finish reason stop.", test.Output.Verbose);
        }

        [Fact]
        public async Task A_stream_that_ends_after_the_finish_reason_without_done_is_complete_and_says_so()
        {
            Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"length\"}]}\n\n")));
            TestClient test = _fixture.CreateClient();

            QwenChatResponse response = await test.Chat.ChatAsync(Request(true), null, default);

            Assert.Equal("ok", response.Content);
            Assert.False(response.Incomplete);
            Assert.Contains("The stream ended without [DONE] after the finish reason; the answer is complete.", test.Output.Verbose);
        }

        [Fact]
        public async Task An_empty_stream_and_a_stream_without_events_say_which_it_was_and_keep_no_partial_answer()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.RawStream());
            QwenException empty = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Request(true), null, default));
            Assert.Equal(QwenErrorIds.UnexpectedResponse, empty.ErrorId);
            Assert.Equal(QwenErrorCategory.ProtocolError, empty.Category);
            Assert.Equal("The service returned an empty stream.", empty.Message);
            Assert.Equal("qwen-plus", empty.Target);
            Assert.Equal(Server.Requests[0].RequestId, empty.RequestId);
            Assert.Null(empty.PartialResponse);

            Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text(": keep-alive\n\nevent: ping\n\n")));
            QwenException noEvents = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Request(true), null, default));
            Assert.Equal("The service returned a body with no stream events.", noEvents.Message);
        }

        [Fact]
        public async Task A_stream_without_a_finish_reason_is_interrupted_and_keeps_what_arrived()
        {
            Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text("data: {\"id\":\"chatcmpl-cut-1\",\"choices\":[{\"delta\":{\"content\":\"half\"}}]}\n\n")));
            TestClient test = _fixture.CreateClient();

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Request(true), null, default));

            Assert.Equal(QwenErrorIds.StreamInterrupted, error.ErrorId);
            Assert.Equal(QwenErrorCategory.ConnectionError, error.Category);
            Assert.Equal("The stream ended after 1 chunk(s) without a finish reason: the answer is incomplete.", error.Message);
            Assert.Equal("half", error.PartialResponse!.Content);
            Assert.Same(error.PartialResponse, test.Chat.LastPartialResponse);
        }

        [Fact]
        public async Task Invalid_json_mid_stream_says_after_how_many_chunks()
        {
            Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {broken\n\n")));
            TestClient test = _fixture.CreateClient();

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Request(true), null, default));

            Assert.Equal(QwenErrorIds.MalformedStream, error.ErrorId);
            Assert.Equal(QwenErrorCategory.ProtocolError, error.Category);
            Assert.StartsWith("The stream carried invalid JSON after 1 chunk(s): ", error.Message);
            Assert.Equal("a", error.PartialResponse!.Content);
        }

        [Fact]
        public async Task An_error_chunk_is_reported_with_its_code_text_and_the_request_id_of_the_chunk()
        {
            Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text(
                "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n" +
                "data: {\"error\":{\"code\":\"InternalError.Algo\",\"message\":\"Model inference failed\",\"type\":\"server_error\"},\"request_id\":\"chunk-req\"}\n\n")));
            TestClient test = _fixture.CreateClient();

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Request(true), null, default));

            Assert.Equal(QwenErrorIds.StreamError, error.ErrorId);
            Assert.Equal(QwenErrorCategory.InvalidResult, error.Category);
            Assert.Equal("The service reported an error mid-stream (InternalError.Algo): Model inference failed.", error.Message);
            Assert.Equal("InternalError.Algo", error.ServiceCode);
            Assert.Equal("server_error", error.ServiceType);
            Assert.Equal("chunk-req", error.RequestId);
            Assert.Equal("qwen-plus", error.Target);
        }

        [Fact]
        public async Task An_error_chunk_without_code_or_message_still_reads_as_a_sentence_and_takes_the_header_request_id()
        {
            Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text("data: {\"error\":{}}\n\n")));
            TestClient test = _fixture.CreateClient();

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Request(true), null, default));

            Assert.Equal("The service reported an error mid-stream: no message.", error.Message);
            Assert.Null(error.ServiceCode);
            Assert.Equal(Server.Requests[0].RequestId, error.RequestId);
        }

        [Fact]
        public async Task A_billing_code_mid_stream_is_a_billing_error()
        {
            Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text("data: {\"error\":{\"code\":\"Arrearage\",\"message\":\"account in arrears\"}}\n\n")));
            TestClient test = _fixture.CreateClient();

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Request(true), null, default));

            Assert.Equal(QwenErrorIds.BillingError, error.ErrorId);
            Assert.Equal(QwenErrorCategory.QuotaExceeded, error.Category);
        }

        [Fact]
        public async Task A_body_of_another_content_type_is_named_in_the_error()
        {
            Server.Enqueue(ServerBehavior.Body(200, "<error/>", "application/xml"));
            TestClient test = _fixture.CreateClient();

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Request(false), null, default));

            Assert.Contains("content type 'application/xml'", error.Message);
            Assert.Equal("qwen-plus", error.Target);
        }

        [Fact]
        public async Task A_whole_body_without_a_choice_names_what_came()
        {
            Server.Enqueue(ServerBehavior.Body(200, "{\"id\":\"chatcmpl-x\",\"choices\":[]}", "application/json"));
            TestClient test = _fixture.CreateClient();

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Request(false), null, default));

            Assert.Equal(QwenErrorIds.UnexpectedResponse, error.ErrorId);
            Assert.StartsWith("The service returned JSON without a choice", error.Message);
            Assert.Equal(Server.Requests.Last().RequestId, error.RequestId);
        }
    }
}
