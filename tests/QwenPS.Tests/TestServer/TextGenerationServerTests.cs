using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.TestServer
{
    /// <summary>
    /// The test server's text-generation behaviour over raw HTTP (no QwenPS code involved): the 400s the
    /// service gives for structured output, partial mode, cache markers, search and math, the shaped default
    /// answers, and the BadJson behaviours, as tests/QwenPS.TestServer/README.md "Text generation" says.
    /// </summary>
    public sealed class TextGenerationServerTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public TextGenerationServerTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private async Task<(int Status, string Text)> Send(string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Server.BaseUri + "/chat/completions")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _fixture.Key);
            using HttpResponseMessage response = await _fixture.Http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        private async Task<(int Status, JsonNode Body)> Post(string json)
        {
            var (status, text) = await Send(json);
            return (status, JsonNode.Parse(text)!);
        }

        /// <summary>The SSE data payloads of a streamed answer, joined content and the finish reason.</summary>
        private async Task<(string Content, string? Finish)> PostStream(string json)
        {
            var (_, text) = await Send(json);
            var content = new StringBuilder();
            string? finish = null;
            foreach (string line in text.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)))
            {
                JsonNode chunk = JsonNode.Parse(line.Substring(6))!;
                foreach (JsonNode? choice in chunk["choices"]!.AsArray())
                {
                    content.Append((string?)choice!["delta"]?["content"]);
                    finish ??= (string?)choice["finish_reason"];
                }
            }

            return (content.ToString(), finish);
        }

        private static string Content(JsonNode body) => (string)body["choices"]![0]!["message"]!["content"]!;

        private static string? Finish(JsonNode body) => (string?)body["choices"]![0]!["finish_reason"];

        private static string ErrorMessage(JsonNode body) => (string)body["error"]!["message"]!;

        private static string Chat(string model, string messages, string extra = "")
            => "{\"model\":\"" + model + "\",\"messages\":" + messages + extra + "}";

        private const string Person = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"name\",\"age\",\"score\",\"ok\",\"color\",\"tags\"],"
            + "\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"},\"score\":{\"type\":\"number\"},\"ok\":{\"type\":\"boolean\"},"
            + "\"color\":{\"type\":\"string\",\"enum\":[\"red\",\"blue\"]},\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}";

        private static string SchemaFormat(string schema, string name = "person")
            => ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"" + name + "\",\"strict\":true,\"schema\":" + schema + "}}";

        [Fact]
        public async Task Json_object_needs_the_word_json_in_a_system_or_user_message()
        {
            const string format = ",\"response_format\":{\"type\":\"json_object\"}";
            var (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"List three colours\"},{\"role\":\"assistant\",\"content\":\"json\"}]", format));
            Assert.Equal(400, status);
            Assert.Equal("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", ErrorMessage(body));

            (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"system\",\"content\":\"Answer in JSON.\"},{\"role\":\"user\",\"content\":\"Hi\"}]", format));
            Assert.Equal(200, status);
            Assert.Equal("{\"answer\":\"Answer to: Hi\"}", Content(body));
        }

        [Theory]
        [InlineData("qwen-plus", ",\"enable_thinking\":true", 400)]
        [InlineData("qwen3.5-plus", "", 400)]
        [InlineData("qwen3-32b", "", 400)]
        [InlineData("qwq-plus", ",\"enable_thinking\":false,\"stream\":true", 400)]
        [InlineData("qwen3.5-plus", ",\"enable_thinking\":false", 200)]
        [InlineData("qwen-plus", "", 200)]
        public async Task Json_mode_is_refused_while_the_model_thinks(string model, string extra, int expected)
        {
            var (status, body) = await Post(Chat(model, "[{\"role\":\"user\",\"content\":\"json please\"}]", ",\"response_format\":{\"type\":\"json_object\"}" + extra));
            Assert.Equal(expected, status);
            if (expected == 400)
            {
                Assert.Equal("Json mode response is not supported when enable_thinking is true", ErrorMessage(body));
            }
        }

        [Theory]
        [InlineData("{\"type\":\"xml\"}", "xml")]
        [InlineData("\"json_object\"", "\"json_object\"")]
        public async Task An_unknown_response_format_is_a_400_naming_the_type(string format, string named)
        {
            var (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"json\"}]", ",\"response_format\":" + format));
            Assert.Equal(400, status);
            Assert.StartsWith("Unknown format of response_format, response_format should be a dict", ErrorMessage(body));
            Assert.EndsWith("The response_format type from user is " + named, ErrorMessage(body));
        }

        [Fact]
        public async Task Json_schema_answers_with_an_instance_of_the_schema()
        {
            var (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"Who?\"}]", SchemaFormat(Person)));
            Assert.Equal(200, status);
            Assert.Equal("{\"name\":\"name 1\",\"age\":1,\"score\":1.5,\"ok\":true,\"color\":\"red\",\"tags\":[\"tags 1\",\"tags 2\"]}", Content(body));

            (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"Who?\"}]", SchemaFormat("{\"type\":\"array\",\"items\":" + Person + "}")));
            Assert.Equal(200, status);
            JsonArray items = JsonNode.Parse(Content(body))!.AsArray();
            Assert.Equal(new[] { "name 1", "name 2" }, items.Select(i => (string?)i!["name"]));
        }

        [Theory]
        [InlineData("", "required")]
        [InlineData("bad name!", "required")]
        public async Task Json_schema_needs_a_valid_name(string name, string says)
        {
            var (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"x\"}]", SchemaFormat(Person, name)));
            Assert.Equal(400, status);
            Assert.Contains(says, ErrorMessage(body));
        }

        [Fact]
        public async Task Max_tokens_cuts_the_answer_with_finish_reason_length_streamed_or_not()
        {
            var (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"Tell me JSON\"}]", ",\"max_tokens\":10,\"response_format\":{\"type\":\"json_object\"}"));
            Assert.Equal(200, status);
            Assert.Equal("{\"answer\":", Content(body));
            Assert.Equal("length", Finish(body));
            Assert.Equal(10, (int)body["usage"]!["completion_tokens"]!);

            var (content, finish) = await PostStream(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"Hello there\"}]", ",\"max_tokens\":8,\"stream\":true"));
            Assert.Equal("Answer t", content);
            Assert.Equal("length", finish);

            (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"Hi\"}]", ",\"max_tokens\":100"));
            Assert.Equal(("Answer to: Hi", "stop"), (Content(body), Finish(body)));
        }

        [Fact]
        public async Task Partial_mode_continues_after_the_prefix()
        {
            var (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"Hello there\"},{\"role\":\"assistant\",\"content\":\"Answer to: He\",\"partial\":true}]"));
            Assert.Equal(200, status);
            Assert.Equal("llo there", Content(body));
            Assert.Equal(11 + 13, (int)body["usage"]!["prompt_tokens"]!);

            // A prefix the answer does not start with: the whole answer follows it.
            (_, body) = await Post(Chat("qwen3-coder-plus", "[{\"role\":\"user\",\"content\":\"fib\"},{\"role\":\"assistant\",\"content\":\"def fib(n):\",\"partial\":true}]"));
            Assert.Equal("Answer to: fib", Content(body));
        }

        [Theory]
        [InlineData("[{\"role\":\"assistant\",\"content\":\"a\",\"partial\":true},{\"role\":\"user\",\"content\":\"b\"}]", "qwen-plus", "")]
        [InlineData("[{\"role\":\"user\",\"content\":\"b\",\"partial\":true}]", "qwen-plus", "")]
        public async Task Partial_is_only_for_the_last_assistant_message(string messages, string model, string extra)
        {
            var (status, body) = await Post(Chat(model, messages, extra));
            Assert.Equal(400, status);
            Assert.Contains("only allowed on the last message", ErrorMessage(body));
        }

        [Fact]
        public async Task Partial_mode_is_refused_while_thinking()
        {
            var (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"b\"},{\"role\":\"assistant\",\"content\":\"a\",\"partial\":true}]", ",\"enable_thinking\":true"));
            Assert.Equal(400, status);
            Assert.Equal("Partial mode is not supported when enable_thinking is true", ErrorMessage(body));
        }

        private static string Cached(string text, string more = "")
            => "[{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\",\"cache_control\":{\"type\":\"ephemeral\"}}]}"
                + more + ",{\"role\":\"user\",\"content\":\"Where?\"}]";

        [Fact]
        public async Task An_explicit_cache_block_is_created_then_hit()
        {
            string big = new string('c', 1100);
            var (_, body) = await Post(Chat("qwen-plus", Cached(big)));
            JsonNode details = body["usage"]!["prompt_tokens_details"]!;
            Assert.Equal(0, (int)details["cached_tokens"]!);
            Assert.Equal(1100, (int)details["cache_creation_input_tokens"]!);
            Assert.Equal(1100, (int)details["cache_creation"]!["ephemeral_5m_input_tokens"]!);
            Assert.Equal("ephemeral", (string?)details["cache_type"]);

            (_, body) = await Post(Chat("qwen-plus", Cached(big)));
            details = body["usage"]!["prompt_tokens_details"]!;
            Assert.Equal(1100, (int)details["cached_tokens"]!);
            Assert.Equal(0, (int)details["cache_creation_input_tokens"]!);

            // A longer block behind a cached one: the hit, and only the increment is created.
            string second = ",{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + new string('d', 50) + "\",\"cache_control\":{\"type\":\"ephemeral\"}}]}";
            (_, body) = await Post(Chat("qwen-plus", Cached(big, second)));
            details = body["usage"]!["prompt_tokens_details"]!;
            Assert.Equal(1100, (int)details["cached_tokens"]!);
            Assert.Equal(50, (int)details["cache_creation_input_tokens"]!);
            Assert.Equal(2, Server.ContextCache.Count);
        }

        [Fact]
        public async Task A_block_under_1024_tokens_is_not_cached_and_plain_requests_have_no_cache_fields()
        {
            var (_, body) = await Post(Chat("qwen-plus", Cached("short")));
            JsonNode details = body["usage"]!["prompt_tokens_details"]!;
            Assert.Equal(0, (int)details["cache_creation_input_tokens"]!);
            Assert.Equal("ephemeral", (string?)details["cache_type"]);
            Assert.Equal(0, Server.ContextCache.Count);

            (_, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"x\"}]"));
            details = body["usage"]!["prompt_tokens_details"]!;
            Assert.Null(details["cache_type"]);
            Assert.Null(details["cache_creation_input_tokens"]);
        }

        [Fact]
        public async Task Only_the_last_four_markers_count()
        {
            string first = new string('a', 1100);
            Server.ContextCache.Seed(first);
            var parts = string.Join(",", Enumerable.Range(0, 4).Select(i => "{\"type\":\"text\",\"text\":\"" + i + "\",\"cache_control\":{\"type\":\"ephemeral\"}}"));
            string messages = "[{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"" + first + "\",\"cache_control\":{\"type\":\"ephemeral\"}}]},"
                + "{\"role\":\"user\",\"content\":[" + parts + "]}]";
            var (_, body) = await Post(Chat("qwen-plus", messages));

            // The seeded block is the first (fifth-last) marker: not counted, so no hit; the last block is created whole.
            JsonNode details = body["usage"]!["prompt_tokens_details"]!;
            Assert.Equal(0, (int)details["cached_tokens"]!);
            Assert.Equal(1104, (int)details["cache_creation_input_tokens"]!);
        }

        [Fact]
        public async Task A_cache_marker_of_another_type_is_a_400()
        {
            string messages = "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\",\"cache_control\":{\"type\":\"persistent\"}}]}]";
            var (status, body) = await Post(Chat("qwen-plus", messages));
            Assert.Equal(400, status);
            Assert.Contains("ephemeral", ErrorMessage(body));
        }

        [Theory]
        [InlineData("", "Answer to: News [search]")]
        [InlineData(",\"search_options\":{\"forced_search\":true,\"search_strategy\":\"max\"}", "Answer to: News [search: forced_search=true, search_strategy=max]")]
        [InlineData(",\"search_options\":{\"search_strategy\":\"agent\",\"enable_source\":true}", "Answer to: News [search: search_strategy=agent, enable_source=true]")]
        public async Task Web_search_echoes_its_options(string options, string expected)
        {
            var (status, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"News\"}]", ",\"enable_search\":true" + options));
            Assert.Equal(200, status);
            Assert.Equal(expected, Content(body));
        }

        [Theory]
        [InlineData("{\"search_strategy\":\"fast\"}", "must be one of")]
        [InlineData("{\"search_strategy\":\"agent_max\",\"forced_search\":true}", "only allow enable_source")]
        public async Task Bad_search_options_are_a_400(string options, string says)
        {
            var (status, body) = await Post(Chat("qwen3-max", "[{\"role\":\"user\",\"content\":\"x\"}]", ",\"enable_search\":true,\"search_options\":" + options));
            Assert.Equal(400, status);
            Assert.Contains(says, ErrorMessage(body));
        }

        [Fact]
        public async Task Math_models_box_the_answer_and_keep_their_limits()
        {
            var (status, body) = await Post(Chat("qwen-math-plus", "[{\"role\":\"system\",\"content\":\"Please reason step by step, and put your final answer within \\\\boxed{}.\"},{\"role\":\"user\",\"content\":\"1+1\"}]"));
            Assert.Equal(200, status);
            Assert.Equal("Answer to: 1+1 Step: \\boxed{1}. The final answer is \\boxed{\\frac{3}{2}}.", Content(body));

            (status, body) = await Post(Chat("qwen-math-turbo", "[{\"role\":\"user\",\"content\":\"" + new string('x', 3073) + "\"}]"));
            Assert.Equal((400, "Range of input length should be [1, 3072]"), (status, ErrorMessage(body)));

            (status, body) = await Post(Chat("qwen2.5-math-7b-instruct", "[{\"role\":\"user\",\"content\":\"x\"}]", ",\"max_tokens\":4000"));
            Assert.Equal((400, "Range of max_tokens should be [1, 3072]"), (status, ErrorMessage(body)));
        }

        [Fact]
        public async Task BadJson_breaks_the_answer_the_request_would_get()
        {
            string request = Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"Who?\"}]", SchemaFormat(Person));
            Server.Enqueue(ServerBehavior.BadJson(JsonFault.Invalid));
            Server.Enqueue(ServerBehavior.BadJson(JsonFault.Truncated));
            Server.Enqueue(ServerBehavior.BadJson(JsonFault.SchemaViolation));

            var (_, body) = await Post(request);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(Content(body)));
            Assert.EndsWith("\"],}", Content(body));
            Assert.Equal("stop", Finish(body));

            (_, body) = await Post(request);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(Content(body)));
            Assert.StartsWith("{\"name\":\"name 1\"", Content(body));
            Assert.Equal("length", Finish(body));

            (_, body) = await Post(request);
            JsonNode violating = JsonNode.Parse(Content(body))!;
            Assert.Null(violating["name"]);
            Assert.True((bool)violating["unexpected"]!);

            // Then the default handling again.
            (_, body) = await Post(request);
            Assert.Equal("name 1", (string?)JsonNode.Parse(Content(body))!["name"]);
        }

        [Fact]
        public async Task BadJson_streams_when_asked_and_is_queued_from_the_control_json()
        {
            await ControlEnqueue("{\"kind\":\"badJson\",\"fault\":\"truncated\"}");
            var (content, finish) = await PostStream(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"json\"}]", ",\"stream\":true,\"response_format\":{\"type\":\"json_object\"}"));
            Assert.Equal("{\"answer\":\"Ans", content);
            Assert.Equal("length", finish);
        }

        [Fact]
        public async Task A_scripted_reply_can_report_an_implicit_cache_hit()
        {
            await ControlEnqueue("{\"kind\":\"reply\",\"reply\":{\"contentChunks\":\"ok\",\"usage\":{\"promptTokens\":300,\"completionTokens\":2,\"cachedTokens\":256,\"cacheType\":\"implicit\"}}}");
            var (_, body) = await Post(Chat("qwen-plus", "[{\"role\":\"user\",\"content\":\"x\"}]"));
            JsonNode details = body["usage"]!["prompt_tokens_details"]!;
            Assert.Equal(256, (int)details["cached_tokens"]!);
            Assert.Equal("implicit", (string?)details["cache_type"]);
            Assert.Null(details["cache_creation_input_tokens"]);
        }

        [Fact]
        public async Task An_unknown_fault_name_is_rejected_by_the_control_endpoint()
        {
            using HttpResponseMessage response = await _fixture.Http.PostAsync(
                new Uri(Server.RootUri, "_control/enqueue"), new StringContent("{\"kind\":\"badJson\",\"fault\":\"wobbly\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Contains("Invalid, Truncated, SchemaViolation", await response.Content.ReadAsStringAsync());
        }

        private async Task ControlEnqueue(string spec)
        {
            using HttpResponseMessage response = await _fixture.Http.PostAsync(
                new Uri(Server.RootUri, "_control/enqueue"), new StringContent(spec, Encoding.UTF8, "application/json"));
            Assert.Equal(200, (int)response.StatusCode);
        }
    }
}
