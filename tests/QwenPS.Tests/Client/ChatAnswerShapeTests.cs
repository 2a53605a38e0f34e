using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Catalog;
using QwenPS.Chat;
using QwenPS.TestServer;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Client
{
    /// <summary>
    /// Answers in the shapes a gateway or the service may choose instead of the one asked for (docs/dashscope-notes.md,
    /// "Chat responses" and "Request ids"): a whole body for a stream, tool calls without streaming, no Content-Length,
    /// no Content-Type, no request-id header.
    /// </summary>
    public sealed class ChatAnswerShapeTests : IClassFixture<ServerFixture>
    {
        private const string Whole =
            "{\"id\":\"chatcmpl-whole-1\",\"object\":\"chat.completion\",\"created\":1760000000,\"model\":\"qwen-plus\"," +
            "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"整段回答\",\"reasoning_content\":\"先想一想\"},\"finish_reason\":\"stop\"}]," +
            "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8}}";

        private readonly ServerFixture _fixture;

        public ChatAnswerShapeTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private static Dictionary<string, string> Headers(params (string Name, string Value)[] headers) => headers.ToDictionary(h => h.Name, h => h.Value);

        private static Task<QwenChatResponse> Run(TestClient test, ChatRun run, string model = "qwen-plus") =>
            ChatCalls.RunAsync(test, run, new[] { new QwenMessage(QwenRole.User, "你好") }, model);

        [Fact]
        public async Task A_stream_answered_with_a_whole_json_body_still_hands_out_reasoning_content_and_usage_in_order()
        {
            Server.Enqueue(ServerBehavior.Body(200, Whole, "application/json"));
            TestClient test = _fixture.CreateClient(s => s.Region = QwenRegion.Beijing);

            // The request names qwen-max; the answer says which model answered, and its price is that model's.
            QwenChatResponse response = await Run(test, new ChatRun { Stream = true }, "qwen-max");

            Assert.True((bool)Server.Requests[0].BodyJson!["stream"]!);
            Assert.Collection(
                test.Output.Objects,
                r => Assert.Equal("先想一想", Assert.IsType<QwenReasoningChunk>(r).Text),
                r => Assert.Equal("整段回答", Assert.IsType<QwenContentChunk>(r).Text),
                r => Assert.Equal(8, Assert.IsType<QwenUsage>(r).TotalTokens));
            Assert.Equal("整段回答", response.Content);
            Assert.Equal("先想一想", response.Reasoning);
            Assert.Equal("qwen-plus", response.Model);
            QwenUsage priced = UsagePricing.Price(new QwenUsage(3, 5, 8, null, null), "qwen-plus", QwenRegion.Beijing)!;
            Assert.Equal(priced.Cost!.Amount, response.Usage!.Cost!.Amount);
            Assert.NotEqual(UsagePricing.Price(new QwenUsage(3, 5, 8, null, null), "qwen-max", QwenRegion.Beijing)!.Cost!.Amount, response.Usage.Cost.Amount);
        }

        [Fact]
        public async Task A_stream_answered_with_a_whole_body_without_reasoning_text_or_usage_hands_out_nothing_empty()
        {
            Server.Enqueue(ServerBehavior.Body(200, "{\"id\":\"chatcmpl-e\",\"choices\":[{\"message\":{\"content\":\"\",\"reasoning_content\":\"\"},\"finish_reason\":\"stop\"}]}", "application/json; charset=utf-8"));
            TestClient test = _fixture.CreateClient();

            QwenChatResponse response = await Run(test, new ChatRun { Stream = true });

            Assert.Empty(test.Output.Objects);
            Assert.Equal(string.Empty, response.Content);
            Assert.Null(response.Reasoning);
            Assert.Null(response.Usage);
        }

        [Fact]
        public async Task Without_stream_a_whole_body_is_the_one_response_and_no_chunk_is_written()
        {
            Server.Enqueue(ServerBehavior.Body(200, Whole, "Application/JSON"));
            TestClient test = _fixture.CreateClient();

            QwenChatResponse response = await Run(test, new ChatRun());

            Assert.Same(response, Assert.Single(test.Output.Objects));
            Assert.Equal("stop", response.FinishReason);
            Assert.Equal("chatcmpl-whole-1", response.Id);
            Assert.Equal(1760000000L, response.Created!.Value.ToUnixTimeSeconds());
        }

        [Fact]
        public async Task Tool_calls_in_a_non_streamed_answer_keep_their_index_id_name_and_arguments()
        {
            const string Body =
                "{\"id\":\"chatcmpl-t\",\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[" +
                "{\"index\":3,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"杭州\\\"}\"}}," +
                "{\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}," +
                "{\"id\":\"call_c\",\"type\":\"function\"}" +
                "]},\"finish_reason\":\"tool_calls\"}]}";
            Server.Enqueue(ServerBehavior.Body(200, Body, "application/json"));
            TestClient test = _fixture.CreateClient();

            QwenChatResponse response = await Run(test, new ChatRun());

            Assert.Equal("tool_calls", response.FinishReason);
            Assert.Equal(string.Empty, response.Content);
            Assert.Collection(
                response.ToolCalls,
                c =>
                {
                    Assert.Equal(3, c.Index);
                    Assert.Equal("call_a", c.Id);
                    Assert.Equal("get_weather", c.Name);
                    Assert.Equal("{\"city\":\"杭州\"}", c.Arguments);
                },
                c =>
                {
                    Assert.Equal(1, c.Index);
                    Assert.Equal("call_b", c.Id);
                    Assert.Equal("get_time", c.Name);
                    Assert.Equal(string.Empty, c.Arguments);
                },
                c =>
                {
                    Assert.Equal(2, c.Index);
                    Assert.Equal(string.Empty, c.Name);
                    Assert.Equal(string.Empty, c.Arguments);
                });
            Assert.Same(response.ToolCalls, response.Message.ToolCalls);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Json_without_a_content_length_is_read_whole(bool stream)
        {
            string[] pieces = { Whole.Substring(0, 40), Whole.Substring(40, 60), Whole.Substring(100) };
            Server.Enqueue(ServerBehavior.RawBody(200, "application/json", pieces.Select(RawSegment.Text).ToArray()));
            TestClient test = _fixture.CreateClient();

            QwenChatResponse response = await Run(test, new ChatRun { Stream = stream });

            Assert.Equal("整段回答", response.Content);
            Assert.Equal(8, response.Usage!.TotalTokens);
        }

        [Fact]
        public async Task A_non_streamed_answer_without_a_content_type_is_read_as_json()
        {
            Server.Enqueue(ServerBehavior.Body(200, Whole, null));
            TestClient test = _fixture.CreateClient();

            Assert.Equal("整段回答", (await Run(test, new ChatRun())).Content);
        }

        [Fact]
        public async Task A_stream_without_a_content_type_is_read_as_a_stream()
        {
            Server.Enqueue(ServerBehavior.RawBody(
                200,
                null,
                RawSegment.Text("data: {\"id\":\"chatcmpl-s\",\"choices\":[{\"delta\":{\"content\":\"流\"}}]}\n\n"),
                RawSegment.Text("data: {\"choices\":[{\"delta\":{\"content\":\"式\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")));
            TestClient test = _fixture.CreateClient();

            QwenChatResponse response = await Run(test, new ChatRun { Stream = true });

            Assert.Equal("流式", response.Content);
            Assert.Equal(2, test.Output.Objects.OfType<QwenContentChunk>().Count());
        }

        [Fact]
        public async Task Without_a_request_id_header_the_body_request_id_is_used_then_the_completion_id()
        {
            Server.Enqueue(ServerBehavior.Body(200, Whole.Replace("\"object\"", "\"request_id\":\"req-in-body\",\"object\""), "application/json", Headers(("x-request-id", " "))));
            TestClient test = _fixture.CreateClient();
            Assert.Equal("req-in-body", (await Run(test, new ChatRun())).RequestId);

            Server.Enqueue(ServerBehavior.Body(200, Whole, "application/json", Headers(("x-request-id", string.Empty))));
            Assert.Equal("whole-1", (await Run(test, new ChatRun())).RequestId);

            Server.Enqueue(ServerBehavior.Body(200, Whole.Replace("chatcmpl-whole-1", "resp-9"), "application/json", Headers(("x-request-id", string.Empty))));
            Assert.Null((await Run(test, new ChatRun())).RequestId);
        }

        [Fact]
        public async Task The_request_id_header_wins_over_the_body_and_the_other_header_names_are_read_in_turn()
        {
            Server.Enqueue(ServerBehavior.Body(200, Whole.Replace("\"object\"", "\"request_id\":\"req-in-body\",\"object\""), "application/json"));
            TestClient test = _fixture.CreateClient();
            QwenChatResponse first = await Run(test, new ChatRun());
            Assert.Equal(Server.Requests[0].RequestId, first.RequestId);

            Server.Enqueue(ServerBehavior.Body(200, Whole, "application/json", Headers(("x-request-id", string.Empty), ("x-dashscope-request-id", " ds-1 "))));
            Assert.Equal("ds-1", (await Run(test, new ChatRun())).RequestId);

            Server.Enqueue(ServerBehavior.Body(200, Whole, "application/json", Headers(("x-request-id", string.Empty), ("request-id", "plain-1"))));
            Assert.Equal("plain-1", (await Run(test, new ChatRun())).RequestId);
        }

        [Fact]
        public async Task A_streamed_answer_without_a_request_id_header_takes_it_from_the_completion_id()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Body(
                200,
                "data: {\"id\":\"chatcmpl-from-stream\",\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
                "text/event-stream",
                Headers(("x-request-id", string.Empty))));

            QwenChatResponse response = await Run(test, new ChatRun { Stream = true });

            Assert.Equal("from-stream", response.RequestId);
        }
    }
}
