using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.TextGeneration
{
    /// <summary>Issue 10's chat side through the engine against the test server: what was sent, what came back.</summary>
    public sealed class TextGenerationClientTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public TextGenerationClientTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private static QwenMessage User(string text) => new QwenMessage(QwenRole.User, text);

        private static readonly JsonSchemaSpec Person = JsonSchemaSpec.FromJson(
            @"{""type"":""object"",""additionalProperties"":false,""required"":[""name"",""age""],""properties"":{""name"":{""type"":""string""},""age"":{""type"":""integer""}}}", "x");

        private static ChatRequest Build(TestClient test, ChatRun run, string model, params QwenMessage[] messages)
            => Build(test, run, new ChatRequest(model, messages));

        private static ChatRequest Build(TestClient test, ChatRun run, ChatRequest request)
            => ChatOperation.PrepareRequest(run, request, test.Output.WriteVerbose, test.Output.WriteWarning);

        private static Task<(QwenChatResponse Response, JsonElement Value)> RunJson(TestClient test, ChatRequest request, ChatRun run)
            => ChatOperation.RunJsonAsync(test.Client, request, run, test.Output, default);

        private static Task<QwenChatResponse> Run(TestClient test, ChatRequest request, ChatRun run)
            => ChatOperation.RunAsync(test.Client, request, run, test.Output, default);

        [Fact]
        public async Task Json_object_mode_adds_the_instruction_turns_thinking_off_and_parses_the_answer()
        {
            TestClient test = _fixture.CreateClient();
            var run = new ChatRun { JsonOutput = true };
            ChatRequest request = Build(test, run, "qwen3.5-plus", User("List colours"));

            (QwenChatResponse response, JsonElement value) = await RunJson(test, request, run);

            JsonNode body = Server.Requests.Single().BodyJson!;
            Assert.Equal("json_object", (string?)body["response_format"]!["type"]);
            Assert.False((bool)body["enable_thinking"]!);
            Assert.Null(body["stream"]);
            Assert.Equal(new[] { "system", "user" }, body["messages"]!.AsArray().Select(m => (string?)m!["role"]));
            Assert.Equal(StructuredOutput.JsonInstruction, (string?)body["messages"]![0]!["content"]);
            Assert.Equal("Answer to: List colours", value.GetProperty("answer").GetString());
            Assert.Equal(response.Content, value.GetRawText());
            Assert.Empty(test.Output.Objects);
            Assert.Contains(test.Output.Verbose, v => v.Contains("enable_thinking false"));
        }

        [Fact]
        public async Task A_schema_violation_is_repaired_once_with_the_problem_and_the_bad_answer()
        {
            Server.Enqueue(ServerBehavior.BadJson(JsonFault.SchemaViolation));
            TestClient test = _fixture.CreateClient();
            var run = new ChatRun { JsonOutput = true, JsonSchema = Person };

            (QwenChatResponse response, JsonElement value) = await RunJson(test, Build(test, run, "qwen-plus", User("Who?")), run);

            Assert.Equal(2, Server.Requests.Count);
            JsonArray repair = Server.Requests[1].BodyJson!["messages"]!.AsArray();
            Assert.Equal(new[] { "user", "assistant", "user" }, repair.Select(m => (string?)m!["role"]));
            Assert.Equal("{\"age\":1,\"unexpected\":true}", (string?)repair[1]!["content"]);
            Assert.Equal(
                "Your previous answer could not be used. The answer does not match the JSON schema: $.name: required property is missing; $.unexpected: property is not allowed by the schema. Reply again with only the corrected JSON.",
                (string?)repair[2]!["content"]);
            Assert.Equal("json_schema", (string?)Server.Requests[1].BodyJson!["response_format"]!["type"]);
            Assert.Equal("name 1", value.GetProperty("name").GetString());
            Assert.Same(response, run.PartialResponse);
            Assert.Contains(test.Output.Verbose, v => v.StartsWith("Asking again (repair 1 of 1)"));
        }

        [Fact]
        public async Task An_answer_that_stays_unusable_fails_with_the_raw_text()
        {
            Server.Enqueue(ServerBehavior.BadJson(JsonFault.Truncated), times: 3);
            TestClient test = _fixture.CreateClient();
            var run = new ChatRun { JsonOutput = true, JsonSchema = Person, MaxRepair = 2 };

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => RunJson(test, Build(test, run, "qwen-plus", User("Who?")), run));

            Assert.Equal(3, Server.Requests.Count);
            Assert.Equal(QwenErrorIds.JsonAnswerInvalid, error.ErrorId);
            Assert.Equal(QwenErrorCategory.InvalidResult, error.Category);
            Assert.StartsWith("The answer could not be used after 2 repairs. The answer was cut off", error.Message);
            Assert.Equal("{\"name\":\"name", error.Target);
            Assert.NotNull(error.RequestId);
            Assert.Equal(error.Target, run.PartialResponse!.Content);
        }

        [Fact]
        public void Json_output_with_thinking_or_a_stream_is_refused_before_any_request()
        {
            TestClient test = _fixture.CreateClient();
            var thinkingRequest = new ChatRequest("qwen-plus", new[] { User("json") });
            thinkingRequest[ChatFields.EnableThinking] = true;
            QwenException thinking = Assert.Throws<QwenException>(() => Build(test, new ChatRun { JsonOutput = true }, thinkingRequest));
            Assert.Equal(QwenErrorIds.JsonModeWithThinking, thinking.ErrorId);
            QwenException stream = Assert.Throws<QwenException>(() => Build(test, new ChatRun { JsonOutput = true, Stream = true }, "qwen-plus", User("json")));
            Assert.Contains("-Live", stream.Message);
            Assert.Empty(Server.Requests);
        }

        [Fact]
        public async Task Partial_mode_returns_the_continuation_and_the_whole_text()
        {
            TestClient test = _fixture.CreateClient();
            QwenMessage prefix = MessageFactory.Create(QwenRole.Assistant, "Answer to: He", null, partial: true);
            ChatRequest request = Build(test, new ChatRun(), "qwen-plus", User("Hello there"), prefix);

            QwenChatResponse response = await Run(test, request, new ChatRun());

            Assert.True((bool)Server.Requests.Single().BodyJson!["messages"]![1]!["partial"]!);
            Assert.Equal("llo there", response.Content);
            Assert.Equal("Answer to: Hello there", response.FullContent);
            Assert.Equal(new[] { "Hello there", "Answer to: Hello there" }, response.History.Select(m => m.Content));
            Assert.False(response.History[1].Partial);
            Assert.Equal("Answer to: Hello there", response.ToString());
        }

        [Fact]
        public async Task Continue_resends_the_cut_answer_as_the_partial_message()
        {
            TestClient test = _fixture.CreateClient();
            var cutRun = new ChatRun { Stream = true };
            var cutRequest = new ChatRequest("qwen-plus", new[] { User("Hello there") });
            cutRequest[ChatFields.MaxTokens] = 8;
            QwenChatResponse cut = await Run(test, Build(test, cutRun, cutRequest), cutRun);
            Assert.Equal(("Answer t", "length"), (cut.Content, cut.FinishReason));

            IReadOnlyList<QwenMessage> messages = ContinueRequest.Messages(new object[] { cut }, null);
            QwenChatResponse whole = await Run(test, Build(test, new ChatRun(), new ChatRequest("qwen-plus", messages)), new ChatRun());

            JsonArray sent = Server.Requests[1].BodyJson!["messages"]!.AsArray();
            Assert.Equal("Answer t", (string?)sent[1]!["content"]);
            Assert.True((bool)sent[1]!["partial"]!);
            Assert.Equal("o: Hello there", whole.Content);
            Assert.Equal("Answer to: Hello there", whole.FullContent);

            QwenException done = Assert.Throws<QwenException>(() => ContinueRequest.Messages(new object[] { whole }, null));
            Assert.Equal(QwenErrorIds.NothingToContinue, done.ErrorId);
        }

        [Fact]
        public async Task Cache_markers_are_capped_at_four_and_the_usage_shows_creation_then_hits()
        {
            TestClient test = _fixture.CreateClient();
            QwenMessage Marked(string text) => MessageFactory.Create(QwenRole.User, text, null, cache: true);
            string big = new string('k', 1200);
            var messages = new[] { Marked("one"), Marked("two"), Marked(big), Marked("four"), Marked("five") };

            ChatRequest request = Build(test, new ChatRun(), "qwen-plus", messages);
            QwenChatResponse first = await Run(test, request, new ChatRun());
            QwenChatResponse second = await Run(test, request, new ChatRun());

            Assert.Contains("sending only the last four", Assert.Single(test.Output.Warnings));
            JsonArray sent = Server.Requests[0].BodyJson!["messages"]!.AsArray();
            Assert.Equal("one", (string?)sent[0]!["content"]);
            Assert.All(sent.Skip(1), m => Assert.Equal("ephemeral", (string?)m!["content"]![0]!["cache_control"]!["type"]));
            int block = "onetwo".Length + big.Length + "fourfive".Length;
            Assert.Equal((0, block, "ephemeral"), (first.Usage!.CachedTokens, first.Usage.CacheCreationTokens, first.Usage.CacheType));
            Assert.Equal((block, 0), (second.Usage!.CachedTokens, second.Usage.CacheCreationTokens));
        }

        [Fact]
        public async Task Search_options_turn_search_on_and_reach_the_service()
        {
            TestClient test = _fixture.CreateClient();
            var request = new ChatRequest("qwen-plus", new[] { User("News") });
            request[ChatFields.SearchOption] = new Dictionary<string, object?> { ["search_strategy"] = "max" };

            QwenChatResponse response = await Run(test, Build(test, new ChatRun(), request), new ChatRun());

            JsonNode body = Server.Requests.Single().BodyJson!;
            Assert.True((bool)body["enable_search"]!);
            Assert.Equal("max", (string?)body["search_options"]!["search_strategy"]);
            Assert.Equal("Answer to: News [search: search_strategy=max]", response.Content);
        }

        [Fact]
        public async Task A_math_answer_exposes_its_boxed_result()
        {
            TestClient test = _fixture.CreateClient();
            QwenChatResponse response = await Run(test, Build(test, new ChatRun(), "qwen-math-turbo", User("1+1")), new ChatRun());
            Assert.Equal("\\frac{3}{2}", response.BoxedAnswer);
        }
    }
}
