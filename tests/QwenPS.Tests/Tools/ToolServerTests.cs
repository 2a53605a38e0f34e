using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Tools
{
    /// <summary>
    /// The test server's function-calling rules and tool behaviours, over raw HTTP (no QwenPS client code), so a
    /// client bug cannot be hidden by the same bug in the server.
    /// </summary>
    public sealed class ToolServerTests : IClassFixture<ServerFixture>
    {
        private const string WeatherTool =
            "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Forecast for a city\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}";

        private const string AskedForWeather =
            "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"index\":0,"
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Hangzhou\\\"}\"}}]}";

        private readonly ServerFixture _fixture;

        public ToolServerTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private async Task<(HttpStatusCode Status, string Text)> PostAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Server.BaseUri + "/chat/completions")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _fixture.Key);
            using HttpResponseMessage response = await _fixture.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        private static string Body(string messages, string? extra = null, bool stream = false) =>
            "{\"model\":\"qwen-plus\",\"messages\":[" + messages + "],\"tools\":[" + WeatherTool + "]"
            + (stream ? ",\"stream\":true" : string.Empty) + (extra == null ? string.Empty : "," + extra) + "}";

        private static string ErrorMessage(string text) => (string)JsonNode.Parse(text)!["error"]!["message"]!;

        [Fact]
        public async Task An_answered_call_is_accepted_and_the_default_answer_names_the_results()
        {
            var (status, text) = await PostAsync(Body(
                "{\"role\":\"user\",\"content\":\"Weather?\"}," + AskedForWeather + ",{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"21 C\"}"));

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Answer to: Weather? [tool results: call_1]", (string?)JsonNode.Parse(text)!["choices"]![0]!["message"]!["content"]);
        }

        [Fact]
        public async Task An_unanswered_call_is_a_400_naming_the_ids()
        {
            var (status, text) = await PostAsync(Body("{\"role\":\"user\",\"content\":\"Weather?\"}," + AskedForWeather + ",{\"role\":\"user\",\"content\":\"and?\"}"));

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("invalid_parameter_error", (string?)JsonNode.Parse(text)!["error"]!["code"]);
            Assert.StartsWith("An assistant message with \"tool_calls\" must be followed by tool messages", ErrorMessage(text));
            Assert.EndsWith(": call_1", ErrorMessage(text));
        }

        [Fact]
        public async Task A_conversation_that_ends_with_an_unanswered_call_is_a_400()
        {
            var (status, text) = await PostAsync(Body("{\"role\":\"user\",\"content\":\"Weather?\"}," + AskedForWeather));

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.EndsWith(": call_1", ErrorMessage(text));
        }

        [Theory]
        [InlineData("{\"role\":\"tool\",\"tool_call_id\":\"call_9\",\"content\":\"x\"}")]
        [InlineData("{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"x\"},{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":\"y\"}")]
        public async Task A_tool_message_that_answers_no_call_is_a_400(string toolMessages)
        {
            var (status, text) = await PostAsync(Body("{\"role\":\"user\",\"content\":\"Weather?\"}," + AskedForWeather + "," + toolMessages));

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("Messages with role \"tool\" must be a response to a preceding message with \"tool_calls\"", ErrorMessage(text));
        }

        [Theory]
        [InlineData("\"tool_choice\":\"required\"", "tool_choice is one of the strings that should be [\"none\", \"auto\"]")]
        [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},\"enable_thinking\":true", "thinking mode")]
        [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}", "not in tools: get_time")]
        [InlineData("\"parallel_tool_calls\":\"yes\"", "parallel_tool_calls must be a boolean")]
        public async Task Bad_tool_options_are_a_400(string extra, string expected)
        {
            var (status, text) = await PostAsync(Body("{\"role\":\"user\",\"content\":\"Weather?\"}", extra));

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(expected, ErrorMessage(text));
        }

        [Theory]
        [InlineData("Get.Service", "does not match pattern")]
        [InlineData("search", "Tool names are not allowed to be [search]")]
        public async Task Bad_tool_names_are_a_400(string name, string expected)
        {
            string body = "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"parameters\":{}}}]}";
            var (status, text) = await PostAsync(body);

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(expected, ErrorMessage(text));
        }

        [Fact]
        public async Task A_name_of_65_characters_is_a_400_and_64_is_fine()
        {
            string Named(int length) => "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"" + new string('a', length) + "\"}}],\"tool_choice\":\"auto\",\"parallel_tool_calls\":true}";

            Assert.Equal(HttpStatusCode.OK, (await PostAsync(Named(64))).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(Named(65))).Status);
        }

        [Fact]
        public async Task Scripted_replies_are_checked_by_the_tool_rules_too()
        {
            Server.Enqueue(ServerBehavior.Reply(ChatReply.FromText("never sent")));

            var (status, _) = await PostAsync(Body("{\"role\":\"user\",\"content\":\"Weather?\"}," + AskedForWeather));

            Assert.Equal(HttpStatusCode.BadRequest, status);
        }

        [Fact]
        public async Task A_tool_loop_answers_every_request_with_fresh_ids_and_stays_queued()
        {
            Server.Enqueue(ServerBehavior.ToolLoop(new[] { new ToolCallReply(0, "ignored", "get_weather", new[] { "{\"city\":", "\"Hangzhou\"}" }) }));

            var ids = new List<string>();
            string history = "{\"role\":\"user\",\"content\":\"Weather?\"}";
            for (int round = 0; round < 3; round++)
            {
                var (status, text) = await PostAsync(Body(history));
                Assert.Equal(HttpStatusCode.OK, status);
                JsonNode message = JsonNode.Parse(text)!["choices"]![0]!["message"]!;
                JsonNode call = message["tool_calls"]![0]!;
                Assert.Equal("get_weather", (string?)call["function"]!["name"]);
                Assert.Equal("{\"city\":\"Hangzhou\"}", (string?)call["function"]!["arguments"]);
                string id = (string)call["id"]!;
                ids.Add(id);
                history += ",{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[" + call.ToJsonString() + "]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":\"21 C\"}";
            }

            Assert.Equal(3, ids.Distinct().Count());
            Assert.All(ids, id => Assert.Matches("^call_[0-9a-f]{8}_0$", id));
            Assert.Equal(1, Server.PendingBehaviors);
        }

        [Fact]
        public async Task A_streamed_tool_loop_sends_reasoning_first_then_fragments_with_empty_ids()
        {
            Server.Enqueue(ServerBehavior.ToolLoop(
                new[] { new ToolCallReply(0, "x", "get_weather", new[] { "{\"city\":", "\"Hangzhou\"}" }), new ToolCallReply(1, "y", "get_time", new[] { "{}" }) },
                reasoningChunks: new[] { "Need ", "tools." }));

            var (status, text) = await PostAsync(Body("{\"role\":\"user\",\"content\":\"Weather?\"}", stream: true));

            Assert.Equal(HttpStatusCode.OK, status);
            JsonNode[] chunks = text.Split("\n\n").Where(e => e.StartsWith("data: {")).Select(e => JsonNode.Parse(e.Substring(6))!).ToArray();
            JsonNode?[] deltas = chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!["delta"]).ToArray();
            int lastReasoning = System.Array.FindLastIndex(deltas, d => d?["reasoning_content"] is JsonNode r && ((string?)r)?.Length > 0);
            int firstTool = System.Array.FindIndex(deltas, d => d?["tool_calls"] != null);
            Assert.True(lastReasoning >= 0 && firstTool > lastReasoning);
            JsonNode[] fragments = deltas.Where(d => d?["tool_calls"] != null).Select(d => d!["tool_calls"]![0]!).ToArray();
            Assert.Equal(new[] { 0, 0, 0, 1, 1 }, fragments.Select(f => (int)f["index"]!));
            Assert.Equal(string.Empty, (string?)fragments[1]["id"]);
            Assert.Equal(string.Empty, (string?)fragments[2]["id"]);
            Assert.Null(fragments[1]["function"]!["name"]);
            Assert.Equal("tool_calls", (string?)chunks.Last(c => c["choices"]!.AsArray().Count > 0)["choices"]![0]!["finish_reason"]);
        }

        [Fact]
        public async Task The_control_endpoint_takes_a_tool_loop_spec()
        {
            using var content = new StringContent(
                "{\"kind\":\"toolLoop\",\"toolCalls\":[{\"name\":\"get_weather\",\"argumentFragments\":\"{\\\"city\\\":\\\"Hangzhou\\\"}\"}]}",
                Encoding.UTF8, "application/json");
            using HttpResponseMessage enqueued = await _fixture.Http.PostAsync(Server.RootUri + "_control/enqueue", content);
            Assert.Equal(HttpStatusCode.OK, enqueued.StatusCode);

            var (status, text) = await PostAsync(Body("{\"role\":\"user\",\"content\":\"Weather?\"}"));

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("{\"city\":\"Hangzhou\"}", (string?)JsonNode.Parse(text)!["choices"]![0]!["message"]!["tool_calls"]![0]!["function"]!["arguments"]);
        }
    }
}
