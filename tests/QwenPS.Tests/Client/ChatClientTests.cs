using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Engine;
using QwenPS.Errors;
using QwenPS.Files;
using QwenPS.Files.Wire;
using QwenPS.Output;
using QwenPS.TestServer;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Client
{
    public sealed class ChatClientTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public ChatClientTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private static QwenMessage User(string text) => new QwenMessage(QwenRole.User, text);

        private static Task<QwenChatResponse> Run(TestClient test, ChatRun run, IReadOnlyList<QwenMessage> messages, string model, CancellationToken token = default) =>
            ChatCalls.RunAsync(test, run, messages, model, token);

        [Fact]
        public async Task Scenario_one_streamed_deep_thinking_multi_turn_in_chinese()
        {
            TestClient test = _fixture.CreateClient();
            var messages = new[]
            {
                User("你好"),
                new QwenMessage(QwenRole.Assistant, "你好!很高兴见到你,有什么我可以帮忙的吗?"),
                User("你是谁?"),
            };

            QwenChatResponse response = await Run(test, new ChatRun { Stream = true }, messages, "qwq-32b");

            // Records: every reasoning chunk, then every content chunk, then one usage record.
            IReadOnlyList<object> records = test.Output.Objects;
            int firstContent = records.ToList().FindIndex(r => r is QwenContentChunk);
            Assert.True(firstContent > 0);
            Assert.All(records.Take(firstContent), r => Assert.IsType<QwenReasoningChunk>(r));
            Assert.All(records.Skip(firstContent).Take(records.Count - firstContent - 1), r => Assert.IsType<QwenContentChunk>(r));
            Assert.IsType<QwenUsage>(records[^1]);
            Assert.Equal("Thinking about: 你是谁?", string.Concat(records.OfType<QwenReasoningChunk>().Select(c => c.Text)));
            Assert.Equal("Answer to: 你是谁?", string.Concat(records.OfType<QwenContentChunk>().Select(c => c.Text)));

            Assert.Equal("Answer to: 你是谁?", response.Content);
            Assert.Equal("Thinking about: 你是谁?", response.Reasoning);
            Assert.Equal("stop", response.FinishReason);
            Assert.NotNull(response.RequestId);
            Assert.Equal(Server.Requests[0].Header("x-request-id") ?? response.RequestId, response.RequestId);

            // The body is exactly what the reference describes.
            JsonNode body = Server.Requests.Single().BodyJson!;
            Assert.Equal("qwq-32b", (string?)body["model"]);
            Assert.True((bool)body["stream"]!);
            Assert.True((bool)body["stream_options"]!["include_usage"]!);
            JsonArray sent = body["messages"]!.AsArray();
            Assert.Equal(new[] { "user", "assistant", "user" }, sent.Select(m => (string?)m!["role"]));
            Assert.Equal(messages.Select(m => m.Content), sent.Select(m => (string?)m!["content"]));
            Assert.DoesNotContain("reasoning_content", Server.Requests[0].BodyText);
            Assert.Equal("Bearer " + ServerFixture.TestKey, Server.Requests[0].Header("Authorization"));
            Assert.StartsWith("QwenPS/", Server.Requests[0].Header("User-Agent"));
        }

        [Fact]
        public async Task Scenario_two_long_document_by_file_id()
        {
            TestClient test = _fixture.CreateClient();
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "qwenps-" + Guid.NewGuid().ToString("N") + ".txt");
            await System.IO.File.WriteAllTextAsync(path, "季度报告：收入增长了百分之十二。");
            try
            {
                QwenMessage reference = await FileReferences.UploadAsync(test.Client, new[] { path }, TimeSpan.FromSeconds(30), CancellationToken.None);
                string fileId = reference.Content!.Substring("fileid://".Length);
                Assert.StartsWith("file-fe-", fileId);
                Assert.Contains(test.Output.Verbose, v => v.Contains(fileId));

                var messages = new[] { new QwenMessage(QwenRole.System, "You are a helpful assistant."), reference, User("这篇文章讲了什么?") };
                QwenChatResponse response = await Run(test, new ChatRun { Stream = true }, messages, "qwen-long");

                Assert.Equal("Answer to: 这篇文章讲了什么? [files: " + fileId + "]", response.Content);
                RecordedRequest upload = Server.Requests.First(r => r.Method == "POST" && r.Path == "/files");
                Assert.Equal("file-extract", upload.Upload!.Purpose);
                Assert.Equal(System.IO.Path.GetFileName(path), upload.Upload.FileName);
                Assert.Equal("季度报告：收入增长了百分之十二。", System.Text.Encoding.UTF8.GetString(Server.Files.Get(fileId)!.Content!));

                JsonArray sent = Server.Requests.Last().BodyJson!["messages"]!.AsArray();
                Assert.Equal(new[] { "system", "system", "user" }, sent.Select(m => (string?)m!["role"]));
                Assert.Equal(new[] { "You are a helpful assistant.", "fileid://" + fileId, "这篇文章讲了什么?" }, sent.Select(m => (string?)m!["content"]));
                Assert.True((bool)Server.Requests.Last().BodyJson!["stream_options"]!["include_usage"]!);
                Assert.Contains(test.Output.Progress, p => p.Activity.StartsWith("Uploading", StringComparison.Ordinal) && p.Completed);
            }
            finally
            {
                System.IO.File.Delete(path);
            }
        }

        [Fact]
        public async Task Several_documents_go_in_one_message_and_a_document_can_be_appended_in_a_later_turn()
        {
            Server.Files.Add("file-fe-AAA", "a.pdf", new byte[] { 1 });
            Server.Files.Add("file-fe-BBB", "b.pdf", new byte[] { 2 });
            Server.Files.Add("file-fe-CCC", "c.pdf", new byte[] { 3 });
            TestClient test = _fixture.CreateClient();

            var first = new[] { new QwenMessage(QwenRole.System, "You are a contract reviewer."), FileReferenceOperation.BuildReference(new[] { "file-fe-AAA", "file-fe-BBB" }), User("List the payment terms.") };
            QwenChatResponse turn1 = await Run(test, new ChatRun(), first, "qwen-long");
            Assert.EndsWith("[files: file-fe-AAA,file-fe-BBB]", turn1.Content);

            var second = ChatOperation.BuildMessages(new object[] { turn1, FileReferenceOperation.BuildReference(new[] { "file-fe-CCC" }) }, "And in the third contract?");
            await Run(test, new ChatRun(), second, "qwen-long");
            JsonArray sent = Server.Requests.Last().BodyJson!["messages"]!.AsArray();
            Assert.Equal(new[] { "system", "system", "user", "assistant", "system", "user" }, sent.Select(m => (string?)m!["role"]));
            Assert.Equal("fileid://file-fe-AAA,fileid://file-fe-BBB", (string?)sent[1]!["content"]);
            Assert.Equal("fileid://file-fe-CCC", (string?)sent[4]!["content"]);
        }

        [Fact]
        public async Task A_non_streamed_call_returns_exactly_one_response_with_usage_and_history()
        {
            TestClient test = _fixture.CreateClient();
            QwenChatResponse response = await Run(test, new ChatRun(), new[] { User("Plan a backup rotation") }, "qwen-plus");

            Assert.Same(response, Assert.Single(test.Output.Objects));
            Assert.Equal("Answer to: Plan a backup rotation", response.Content);
            Assert.Null(response.Reasoning);
            Assert.Equal("qwen-plus", response.Model);
            Assert.True(response.Usage!.TotalTokens > 0);
            Assert.Equal(response.Usage.PromptTokens + response.Usage.CompletionTokens, response.Usage.TotalTokens);
            Assert.Equal(2, response.History.Count);
            Assert.False(response.Incomplete);
            Assert.Null(Server.Requests[0].BodyJson!["stream"]);
        }

        [Fact]
        public async Task A_stream_only_model_without_stream_is_streamed_under_the_hood_and_aggregated()
        {
            TestClient test = _fixture.CreateClient();
            QwenChatResponse response = await Run(test, new ChatRun(), new[] { User("Plan a backup rotation") }, "qwq-plus");

            Assert.Same(response, Assert.Single(test.Output.Objects));
            Assert.Equal("Thinking about: Plan a backup rotation", response.Reasoning);
            Assert.True((bool)Server.Requests[0].BodyJson!["stream"]!);
            Assert.NotNull(response.Usage);
        }

        [Fact]
        public async Task Continuing_a_conversation_sends_the_answer_only()
        {
            TestClient test = _fixture.CreateClient();
            QwenChatResponse first = await Run(test, new ChatRun(), new[] { User("Plan a backup rotation") }, "qwq-plus");
            Assert.NotNull(first.Reasoning);

            var next = ChatOperation.BuildMessages(new object[] { first }, "Now as a PowerShell script");
            string model = ChatOperation.ResolveModel(null, new object[] { first }, null);
            QwenChatResponse second = await Run(test, new ChatRun(), next, model);

            JsonNode body = Server.Requests[1].BodyJson!;
            Assert.Equal("qwq-plus", (string?)body["model"]);
            JsonArray sent = body["messages"]!.AsArray();
            Assert.Equal(new[] { "user", "assistant", "user" }, sent.Select(m => (string?)m!["role"]));
            Assert.Equal(first.Content, (string?)sent[1]!["content"]);
            Assert.DoesNotContain("reasoning_content", Server.Requests[1].BodyText);
            Assert.DoesNotContain(first.Reasoning!, Server.Requests[1].BodyText);
            Assert.Equal(4, second.History.Count);
        }

        [Fact]
        public async Task Records_are_delivered_as_they_arrive_not_at_the_end()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.RawStream(
                RawSegment.Text("data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"first\"}}]}\n\n"),
                RawSegment.Delay(TimeSpan.FromMilliseconds(2500)),
                RawSegment.Text("data: {\"choices\":[{\"delta\":{\"content\":\"second\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")));
            var seen = new List<(string Text, long At)>();
            var clock = Stopwatch.StartNew();
            test.Output.OnObject = o => seen.Add((o.ToString()!, clock.ElapsedMilliseconds));

            await Run(test, new ChatRun { Stream = true }, new[] { User("x") }, "qwen-plus");

            Assert.Equal(new[] { "first", "second" }, seen.Select(s => s.Text));
            // The first record was out while the server was still waiting to write the second chunk.
            Assert.True(seen[1].At - seen[0].At >= 1000, $"first at {seen[0].At} ms, second at {seen[1].At} ms");
        }

        [Fact]
        public async Task Live_display_shows_reasoning_dim_then_the_answer_while_the_output_gets_the_response()
        {
            TestClient test = _fixture.CreateClient();
            QwenChatResponse response = await Run(test, new ChatRun { Live = true }, new[] { User("hi") }, "qwq-32b");

            Assert.Same(response, Assert.Single(test.Output.Objects));
            IReadOnlyList<QwenPS.Output.LiveText> live = test.Output.Live;
            Assert.Equal("Thinking about: hi", string.Concat(live.Where(l => l.Dim).Select(l => l.Text)));
            Assert.Equal("Answer to: hi", string.Concat(live.Where(l => !l.Dim).Select(l => l.Text)).Trim());
        }

        [Fact]
        public async Task A_stream_cut_midway_delivers_what_arrived_then_a_clear_error_with_the_partial_response()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = ChatReply.FromText("0123456789abcdef"), CutAfterChunks = 3 }));

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => Run(test, new ChatRun { Stream = true }, new[] { User("x") }, "qwen-plus"));

            Assert.Equal(QwenErrorIds.StreamInterrupted, error.ErrorId);
            Assert.Equal(QwenErrorCategory.ConnectionError, error.Category);
            Assert.Equal("qwen-plus", error.Target);
            Assert.NotNull(error.RequestId);
            string delivered = string.Concat(test.Output.Objects.OfType<QwenContentChunk>().Select(c => c.Text));
            Assert.False(string.IsNullOrEmpty(delivered));
            Assert.StartsWith(delivered, "0123456789abcdef");
            Assert.True(error.PartialResponse!.Incomplete);
            Assert.Equal(delivered, error.PartialResponse.Content);
            Assert.Single(Server.Requests);
        }

        [Fact]
        public async Task Without_stream_a_cut_stream_still_writes_the_partial_response_before_the_error()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { CutAfterChunks = 4 }));

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => Run(test, new ChatRun(), new[] { User("a longer question") }, "qwq-32b"));

            QwenChatResponse partial = Assert.IsType<QwenChatResponse>(Assert.Single(test.Output.Objects));
            Assert.True(partial.Incomplete);
            Assert.Same(error.PartialResponse, partial);
        }

        [Fact]
        public async Task Stopping_mid_stream_returns_promptly_and_keeps_what_arrived()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = ChatReply.FromText("abcdefghijklmnop"), SilenceAfterChunks = 2, SilenceDuration = TimeSpan.FromSeconds(30) }));
            using var stop = new CancellationTokenSource();
            test.Output.OnObject = _ => stop.CancelAfter(200);

            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(test, new ChatRun { Stream = true }, new[] { User("x") }, "qwen-plus", stop.Token));
            clock.Stop();

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
            Assert.True(test.Chat.LastPartialResponse!.Incomplete);
            Assert.Equal(string.Concat(test.Output.Objects.OfType<QwenContentChunk>().Select(c => c.Text)), test.Chat.LastPartialResponse.Content);
        }

        [Fact]
        public async Task A_service_error_is_mapped_with_id_category_target_and_request_id()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Error(400, "invalid_parameter_error", "Range of max_tokens should be [1, 8192]"));

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => Run(test, new ChatRun(), new[] { User("x") }, "qwen-plus"));

            Assert.Equal(QwenErrorIds.InvalidParameter, error.ErrorId);
            Assert.Equal(QwenErrorCategory.InvalidArgument, error.Category);
            Assert.Equal("qwen-plus", error.Target);
            Assert.Equal(400, error.StatusCode);
            Assert.Equal("invalid_parameter_error", error.ServiceCode);
            Assert.Equal(Server.Requests[0].RequestId, error.RequestId);
            Assert.Contains("Range of max_tokens", error.Message);
            Assert.Single(Server.Requests);
        }

        [Fact]
        public async Task A_wrong_key_gets_the_region_hint()
        {
            TestClient test = _fixture.CreateClient(key: "sk-wrongkey000000000");
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => Run(test, new ChatRun(), new[] { User("x") }, "qwen-plus"));
            Assert.Equal(QwenErrorIds.InvalidApiKey, error.ErrorId);
            Assert.Contains("region", error.Message);
            Assert.DoesNotContain("wrongkey", error.Message);
        }

        [Fact]
        public async Task Throttling_is_retried_with_the_delay_the_service_asked_for()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Error(429, "Throttling.RateQuota", "Requests rate limit exceeded", headers: new Dictionary<string, string> { ["Retry-After"] = "2" }));
            Server.Enqueue(ServerBehavior.Error(429, "insufficient_quota", "You exceeded your current quota", headers: new Dictionary<string, string> { ["retry-after-ms"] = "150" }));

            QwenChatResponse response = await Run(test, new ChatRun(), new[] { User("x") }, "qwen-plus");

            Assert.Equal("Answer to: x", response.Content);
            Assert.Equal(3, Server.Requests.Count);
            Assert.Equal(new[] { TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(150) }, test.Delays);
            Assert.Equal(2, test.Output.Warnings.Count);
            Assert.All(test.Output.Warnings, w => Assert.Contains("RateLimited", w));
        }

        [Fact]
        public async Task Arrearage_is_never_retried()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Error(400, "Arrearage", "Access denied, please make sure your account is in good standing."));
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => Run(test, new ChatRun(), new[] { User("x") }, "qwen-plus"));
            Assert.Equal(QwenErrorIds.BillingError, error.ErrorId);
            Assert.Single(Server.Requests);
            Assert.Empty(test.Delays);
        }

        [Fact]
        public async Task A_throttling_storm_beyond_the_budget_ends_in_one_rate_limited_error()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Error(429, "Throttling", "Too many requests"), times: 10);
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => Run(test, new ChatRun(), new[] { User("x") }, "qwen-plus"));
            Assert.Equal(QwenErrorIds.RateLimited, error.ErrorId);
            Assert.Equal(4, error.Attempts);
            Assert.Equal(4, Server.Requests.Count);
            Assert.Equal(3, test.Delays.Count);
            Assert.True(test.Delays[1] > test.Delays[0] && test.Delays[2] > test.Delays[1]);
        }

        [Fact]
        public async Task Connections_are_reused_across_calls()
        {
            TestClient test = _fixture.CreateClient();
            for (int i = 0; i < 20; i++)
            {
                await Run(test, new ChatRun { Stream = i % 2 == 0 }, new[] { User("n" + i) }, "qwen-plus");
            }

            Assert.Equal(20, Server.Requests.Count);
            Assert.Equal(1, Server.ConnectionCount);
        }

        [Fact]
        public async Task The_key_appears_in_no_output_stream_and_no_error()
        {
            TestClient test = _fixture.CreateClient(settings => settings.Retry = new QwenPS.Transport.RetryPolicy(1));
            test.Output.WriteVerbose("start");
            await Run(test, new ChatRun { Stream = true, Live = true }, new[] { User("hi") }, "qwq-32b");
            Server.Enqueue(ServerBehavior.Error(500, "InternalError", "echo " + ServerFixture.TestKey));
            Server.Enqueue(ServerBehavior.Error(500, "InternalError", "echo Bearer " + ServerFixture.TestKey));
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => Run(test, new ChatRun(), new[] { User("x") }, "qwen-plus"));

            Assert.NotEmpty(test.Output.Verbose);
            Assert.NotEmpty(test.Output.Debug);
            foreach (string text in test.Output.AllText.Append(error.ToString()))
            {
                Assert.DoesNotContain(ServerFixture.TestKey, text);
                Assert.DoesNotContain("canary0123456789", text);
            }
        }
    }
}
