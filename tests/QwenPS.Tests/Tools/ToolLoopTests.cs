using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using QwenPS.Chat;
using QwenPS.Chat.Tools;
using QwenPS.Chat.Wire;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Tools
{
    /// <summary>The tool loop against the test server (which refuses any history with an unanswered call), with a fake runner.</summary>
    public sealed class ToolLoopTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public ToolLoopTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private static QwenTool Tool(string name, string schema = "{\"type\":\"object\",\"properties\":{\"City\":{\"type\":\"string\"}}}", params string[] switches) =>
            new QwenTool(name, "A test tool.", schema, name, false, new object(), switches, ToolSchemaReader.Required(schema));

        private static ToolCallReply Call(int index, string id, string name, params string[] fragments) => new ToolCallReply(index, id, name, fragments);

        private void Enqueue(params ToolCallReply[] calls) => Server.Enqueue(ServerBehavior.Reply(new ChatReply { ToolCalls = calls }));

        private (QwenChatResponse Response, CollectingOutput Output) Run(
            ToolLoopSettings settings, FakeRunner runner, bool stream = false, string? choice = null, params QwenMessage[] messages)
        {
            TestClient test = _fixture.CreateClient();
            var loop = new ToolLoop(settings, runner, test.Output);
            IReadOnlyList<QwenMessage> start = messages.Length > 0 ? messages : new[] { new QwenMessage(QwenRole.User, "Weather?") };
            var first = new ChatRequest("qwen-plus", start);
            first[ChatFields.Tools] = settings.Tools.Select(t => new ToolDefinition(t.Name, t.Description, t.Parameters)).ToArray();
            QwenChatResponse response = loop.Run(start, (history, round) =>
            {
                var run = new ChatRun { Stream = stream, WriteResponse = false };
                ChatRequest request = ChatOperation.PrepareRequest(run, ToolLoop.RequestForRound(first, history, ToolChoices.ForRound(choice, round)), _ => { });
                return ChatOperation.RunAsync(test.Chat, request, run, test.Output, CancellationToken.None).GetAwaiter().GetResult();
            });
            return (response, test.Output);
        }

        [Fact]
        public void Two_streamed_rounds_of_fragmented_parallel_calls_run_in_order_and_every_call_is_answered()
        {
            Enqueue(Call(0, "c1", "get_weather", "{\"City\":", "\"Hangzhou\"}"), Call(1, "c2", "get_weather", "{\"Ci", "ty\":\"杭州\"}"));
            Enqueue(Call(0, "c3", "get_weather", "{\"City\":\"Beijing\"}"));
            var runner = new FakeRunner();

            var (response, output) = Run(new ToolLoopSettings(new[] { Tool("get_weather") }) { Invocation = QwenToolInvocation.Auto, Stream = true }, runner, stream: true);

            Assert.Equal(new[] { "Hangzhou", "杭州", "Beijing" }, runner.Calls.Select(c => (string)c.Arguments["City"]!));
            Assert.Equal("Answer to: Weather? [tool results: c3]", response.Content);
            Assert.Equal(new[] { 200, 200, 200 }, Server.Requests.Select(r => r.ResponseStatus ?? 0));
            JsonArray second = Server.Requests[1].BodyJson!["messages"]!.AsArray();
            Assert.Equal(new[] { "user", "assistant", "tool", "tool" }, second.Select(m => (string?)m!["role"]));
            Assert.Equal(new[] { "c1", "c2" }, second[1]!["tool_calls"]!.AsArray().Select(c => (string?)c!["id"]));
            Assert.Equal("{\"City\":\"杭州\"}", (string?)second[1]!["tool_calls"]![1]!["function"]!["arguments"]);
            Assert.Equal(new[] { "c1", "c2" }, second.Skip(2).Select(m => (string?)m!["tool_call_id"]));
            Assert.Equal("ran get_weather -City Hangzhou", (string?)second[2]!["content"]);

            // Each call is written complete before it runs, then its result; rounds are numbered.
            var records = output.Objects.Where(o => o is QwenToolCallChunk || o is QwenToolResult).ToList();
            Assert.Equal(new[] { "c1", "c1", "c2", "c2", "c3", "c3" }, records.Select(r => r is QwenToolCallChunk c ? c.Id : ((QwenToolResult)r).CallId));
            Assert.IsType<QwenToolCallChunk>(records[0]);
            Assert.IsType<QwenToolResult>(records[1]);
            Assert.Equal(new[] { 1, 1, 2 }, response.ToolRuns.Select(r => r.Round));
            Assert.All(response.ToolRuns, r => Assert.True(r.Succeeded));
            Assert.Contains("Round 2: the model asked for 1 tool call.", output.Verbose);
        }

        [Fact]
        public void A_model_that_never_stops_is_stopped_at_the_round_cap_with_a_warning()
        {
            Server.Enqueue(ServerBehavior.ToolLoop(new[] { Call(0, "x", "get_weather", "{}") }));
            var runner = new FakeRunner();

            var (response, output) = Run(new ToolLoopSettings(new[] { Tool("get_weather") }) { Invocation = QwenToolInvocation.Auto, MaxRounds = 3 }, runner);

            Assert.Equal(3, runner.Calls.Count);
            Assert.Equal(4, Server.Requests.Count);
            Assert.All(Server.Requests, r => Assert.Equal(200, r.ResponseStatus));
            Assert.Equal(ToolLoop.MaxToolRoundsReason, response.FinishReason);
            Assert.Single(response.ToolCalls);
            Assert.Equal(3, response.ToolRuns.Count);
            Assert.Contains(output.Warnings, w => w.StartsWith("Stopped after 3 rounds of tool calls (-MaxToolRounds 3)", StringComparison.Ordinal));
        }

        [Fact]
        public void Unknown_tools_broken_arguments_and_missing_required_ones_never_reach_the_runner()
        {
            Enqueue(
                Call(0, "u1", "Remove-Item", "{\"Path\":\"/\"}"),
                Call(1, "u2", "get_weather", "{\"City\":"),
                Call(2, "u3", "get_weather", "{}"));
            var runner = new FakeRunner();
            QwenTool strict = Tool("get_weather", "{\"type\":\"object\",\"properties\":{\"City\":{\"type\":\"string\"}},\"required\":[\"City\"]}");

            var (response, _) = Run(new ToolLoopSettings(new[] { strict }) { Invocation = QwenToolInvocation.Auto }, runner);

            Assert.Empty(runner.Calls);
            Assert.Equal(new[] { QwenToolStatus.UnknownTool, QwenToolStatus.InvalidArguments, QwenToolStatus.InvalidArguments }, response.ToolRuns.Select(r => r.Outcome));
            JsonArray sent = Server.Requests[1].BodyJson!["messages"]!.AsArray();
            Assert.Contains("There is no tool named 'Remove-Item'. The tools are: get_weather.", (string?)sent[2]!["content"]);
            Assert.Contains("not valid JSON", (string?)sent[3]!["content"]);
            Assert.Contains("Missing required argument City", (string?)sent[4]!["content"]);
        }

        [Fact]
        public void Manual_returns_the_calls_without_running_them()
        {
            Enqueue(Call(0, "m1", "get_weather", "{\"City\":\"Hangzhou\"}"));
            var runner = new FakeRunner();

            var (response, _) = Run(new ToolLoopSettings(new[] { Tool("get_weather") }) { Invocation = QwenToolInvocation.Manual }, runner);

            Assert.Empty(runner.Calls);
            Assert.Single(Server.Requests);
            Assert.Equal("tool_calls", response.FinishReason);
            Assert.Equal("Hangzhou", response.ToolCalls[0].ArgumentTable!["City"]);
            Assert.Same(response.Message, response.History[^1]);
        }

        [Fact]
        public void A_conversation_ending_in_unanswered_calls_has_them_run_first()
        {
            var call = new QwenToolCall(0, "r1", "get_weather", "{\"City\":\"Hangzhou\"}");
            var runner = new FakeRunner();

            var (response, _) = Run(
                new ToolLoopSettings(new[] { Tool("get_weather") }) { Invocation = QwenToolInvocation.Auto },
                runner,
                messages: new[] { new QwenMessage(QwenRole.User, "Weather?"), new QwenMessage(QwenRole.Assistant, string.Empty, null, new[] { call }) });

            Assert.Single(runner.Calls);
            Assert.Single(Server.Requests);
            Assert.Equal("Answer to: Weather? [tool results: r1]", response.Content);
        }

        [Fact]
        public void A_named_choice_is_forced_on_the_first_request_only()
        {
            Enqueue(Call(0, "n1", "get_weather", "{}"));

            Run(new ToolLoopSettings(new[] { Tool("get_weather") }) { Invocation = QwenToolInvocation.Auto }, new FakeRunner(), choice: "get_weather");

            Assert.Equal("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}", Server.Requests[0].BodyJson!["tool_choice"]!.ToJsonString());
            Assert.Equal("auto", (string?)Server.Requests[1].BodyJson!["tool_choice"]);
        }

        [Fact]
        public void The_time_budget_covers_the_tools_too()
        {
            Enqueue(Call(0, "t1", "get_weather", "{}"), Call(1, "t2", "get_weather", "{}"));
            var runner = new FakeRunner { Delay = TimeSpan.FromMilliseconds(300) };

            var error = Assert.Throws<QwenException>(() =>
                Run(new ToolLoopSettings(new[] { Tool("get_weather") }) { Invocation = QwenToolInvocation.Auto, Timeout = TimeSpan.FromMilliseconds(250) }, runner));

            Assert.Equal(QwenErrorIds.Timeout, error.ErrorId);
            Assert.Single(runner.Calls);
            Assert.Single(Server.Requests);
            Assert.NotNull(error.PartialResponse);
        }

        [Fact]
        public void Results_longer_than_the_cap_are_cut_before_they_are_sent()
        {
            Enqueue(Call(0, "l1", "get_weather", "{}"));
            var runner = new FakeRunner { Result = new string('r', 500) };

            var (response, _) = Run(new ToolLoopSettings(new[] { Tool("get_weather") }) { Invocation = QwenToolInvocation.Auto, MaxResultLength = 100 }, runner);

            string sent = (string)Server.Requests[1].BodyJson!["messages"]![2]!["content"]!;
            Assert.StartsWith(new string('r', 100) + "\n[QwenPS: the result was truncated: 100 of 500", sent);
            Assert.True(response.ToolRuns[0].Truncated);
        }

        [Fact]
        public void The_request_fields_are_written_as_the_reference_example_shows()
        {
            var request = new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "What is the weather in Hangzhou tomorrow?") })
            {
                Stream = true,
            };
            request[ChatFields.EnableThinking] = true;
            request[ChatFields.ThinkingBudget] = 2048;
            request[ChatFields.Tools] = new[] { new ToolDefinition("get_weather", "Forecast for a city", "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}") };
            request[ChatFields.ToolChoice] = "Auto";
            request[ChatFields.ParallelToolCalls] = true;

            Assert.Equal(
                "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Hangzhou tomorrow?\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"enable_thinking\":true,\"thinking_budget\":2048,"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Forecast for a city\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}],"
                + "\"tool_choice\":\"auto\",\"parallel_tool_calls\":true}",
                Encoding.UTF8.GetString(ChatRequestWriter.Write(request)));
        }

        [Fact]
        public void Additional_parameters_win_over_the_tool_fields()
        {
            var request = new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "x") })
            {
                AdditionalParameters = new Dictionary<string, object?> { ["tool_choice"] = "auto" },
            };
            request[ChatFields.Tools] = new[] { new ToolDefinition("a", null, "{}") };
            request[ChatFields.ToolChoice] = "None";
            request[ChatFields.ParallelToolCalls] = false;

            Assert.Equal(
                "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\",\"parameters\":{}}}],\"parallel_tool_calls\":false,\"tool_choice\":\"auto\"}",
                Encoding.UTF8.GetString(ChatRequestWriter.Write(request)));
        }

        private sealed class FakeRunner : IToolRunner
        {
            public List<(QwenTool Tool, OrderedDictionary Arguments, string CommandLine)> Calls { get; } = new();

            public TimeSpan Delay { get; set; }

            public string? Result { get; set; }

            public ToolOutcome Run(QwenTool tool, OrderedDictionary arguments, string commandLine, TimeSpan? timeLeft)
            {
                Calls.Add((tool, arguments, commandLine));
                if (Delay > TimeSpan.Zero)
                {
                    Thread.Sleep(Delay);
                }

                return new ToolOutcome(QwenToolStatus.Succeeded, Result ?? "ran " + commandLine);
            }
        }
    }
}
