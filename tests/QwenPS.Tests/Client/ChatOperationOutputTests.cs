using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Chat;
using QwenPS.Session;
using QwenPS.TestServer;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Client
{
    /// <summary>
    /// What Invoke-QwenChat's operation writes and keeps beyond the main scenarios (docs/architecture.md, "One streamed
    /// chat"): the response left out for the tool loop, partial answers after a break and a stop, the inputs it refuses
    /// and the model it picks.
    /// </summary>
    public sealed class ChatOperationOutputTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public ChatOperationOutputTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private static Task<QwenChatResponse> Run(TestClient test, ChatRun run, string model = "qwen-plus", CancellationToken token = default) =>
            ChatCalls.RunAsync(test, run, new[] { new QwenMessage(QwenRole.User, "hello") }, model, token);

        [Fact]
        public async Task Without_write_response_the_answer_is_returned_but_not_written()
        {
            TestClient test = _fixture.CreateClient();
            QwenChatResponse response = await Run(test, new ChatRun { WriteResponse = false });
            Assert.Equal("Answer to: hello", response.Content);
            Assert.Empty(test.Output.Objects);
        }

        [Fact]
        public async Task Without_write_response_a_broken_stream_writes_nothing_and_keeps_the_partial_answer()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = ChatReply.FromText("0123456789abcdef"), CutAfterChunks = 3 }));
            var run = new ChatRun { WriteResponse = false };

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => Run(test, run, "qwq-32b"));

            Assert.Empty(test.Output.Objects);
            Assert.Same(error.PartialResponse, run.PartialResponse);
            Assert.True(run.PartialResponse!.Incomplete);
        }

        [Fact]
        public async Task A_streamed_break_keeps_the_partial_answer_on_the_run_and_shows_what_arrived_live()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = ChatReply.FromText("0123456789abcdef"), CutAfterChunks = 3 }));
            var run = new ChatRun { Stream = true, Live = true };

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => Run(test, run));

            Assert.Same(error.PartialResponse, run.PartialResponse);
            Assert.DoesNotContain(test.Output.Objects, o => o is QwenChatResponse);
            string shown = string.Concat(test.Output.Live.Select(l => l.Text)).Trim();
            Assert.Equal(run.PartialResponse!.Content, shown);
            Assert.NotEmpty(shown);
        }

        [Fact]
        public async Task A_stop_keeps_what_arrived_on_the_run()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = ChatReply.FromText("abcdefghijklmnop"), SilenceAfterChunks = 2, SilenceDuration = TimeSpan.FromSeconds(30) }));
            using var stop = new CancellationTokenSource();
            test.Output.OnObject = _ => stop.CancelAfter(100);
            var run = new ChatRun { Stream = true };

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(test, run, token: stop.Token));

            Assert.True(run.PartialResponse!.Incomplete);
            Assert.Same(test.Chat.LastPartialResponse, run.PartialResponse);
        }

        [Fact]
        public async Task A_streamed_answer_is_written_as_chunks_and_not_again_as_a_response()
        {
            TestClient test = _fixture.CreateClient();
            QwenChatResponse response = await Run(test, new ChatRun { Stream = true });
            Assert.DoesNotContain(test.Output.Objects, o => o is QwenChatResponse);
            Assert.Equal(response.Content, string.Concat(test.Output.Objects.OfType<QwenContentChunk>().Select(c => c.Text)));
            Assert.Empty(test.Output.Live);
        }

        [Fact]
        public async Task The_usage_book_names_the_model_that_answered_and_counts_every_json_repair()
        {
            object scope = new object();
            TestClient test = ServerFixture.CreateClient(_fixture.Http, Server.BaseUri, _fixture.Key, null, scope);
            Server.Enqueue(ServerBehavior.Reply(new ChatReply { ContentChunks = new[] { "ok" }, Model = "qwen-plus-latest", Usage = new UsageReply(4, 1, 5) }));
            ChatRun run = new ChatRun();
            ChatRequest request = ChatOperation.PrepareRequest(run, new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "hello") }), test.Output.WriteVerbose);
            await ChatOperation.RunAsync(test.Client, request, run, test.Output, default);
            Assert.Equal(5, Assert.Single(QwenPS.Engine.UsageOperations.Get(scope, m => m == "qwen-plus-latest")).TotalTokens);

            Server.Enqueue(ServerBehavior.BadJson(JsonFault.Truncated));
            var json = new ChatRun { JsonOutput = true, Live = true };
            ChatRequest jsonRequest = ChatOperation.PrepareRequest(json, new ChatRequest("qwen-max", new[] { new QwenMessage(QwenRole.User, "colours") }), test.Output.WriteVerbose);
            await ChatOperation.RunJsonAsync(test.Client, jsonRequest, json, test.Output, default);
            Assert.Equal(2, Assert.Single(QwenPS.Engine.UsageOperations.Get(scope, m => m == "qwen-max")).Calls);
            Assert.NotEmpty(test.Output.Live);
            Assert.IsType<QwenChatResponse>(Assert.Single(test.Output.Objects));
        }

        [Fact]
        public async Task A_json_answer_stopped_midway_keeps_what_arrived_on_the_run()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = ChatReply.FromText("{\"a\":\"bcdefghijklmnop\"}"), SilenceAfterChunks = 2, SilenceDuration = TimeSpan.FromSeconds(30) }));
            using var stop = new CancellationTokenSource();
            test.Output.OnLive = _ => stop.CancelAfter(100);
            var run = new ChatRun { JsonOutput = true, Live = true };
            ChatRequest request = ChatOperation.PrepareRequest(run, new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "hello") }), test.Output.WriteVerbose);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ChatOperation.RunJsonAsync(test.Client, request, run, test.Output, stop.Token));

            Assert.True(run.PartialResponse!.Incomplete);
            Assert.StartsWith("{", run.PartialResponse.Content, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_json_answer_cut_midway_keeps_what_arrived_on_the_run()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = ChatReply.FromText("{\"a\":\"bcdefghijklmnop\"}"), CutAfterChunks = 2 }));
            var run = new ChatRun { JsonOutput = true, Live = true };
            ChatRequest request = ChatOperation.PrepareRequest(run, new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "hello") }), test.Output.WriteVerbose);

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => ChatOperation.RunJsonAsync(test.Client, request, run, test.Output, default));

            Assert.Same(error.PartialResponse, run.PartialResponse);
            Assert.True(run.PartialResponse!.Incomplete);
        }

        [Fact]
        public void Input_of_the_wrong_type_names_itself_and_is_the_target()
        {
            var error = Assert.Throws<QwenException>(() => ChatOperation.BuildMessages(new object[] { 42 }, null));
            Assert.Equal(QwenErrorCategory.InvalidArgument, error.Category);
            Assert.Equal(42, error.Target);
            Assert.Equal("Invoke-QwenChat takes QwenMessage and QwenChatResponse objects; got System.Int32.", error.Message);

            var empty = Assert.Throws<QwenException>(() => ChatOperation.BuildMessages(Array.Empty<object>(), " \t"));
            Assert.Equal(" \t", empty.Target);
            Assert.Equal("-Prompt is empty.", empty.Message);

            var nothing = Assert.Throws<QwenException>(() => ChatOperation.BuildMessages(Array.Empty<object>(), null));
            Assert.Equal(QwenErrorCategory.InvalidArgument, nothing.Category);
            Assert.StartsWith("Nothing to send", nothing.Message);
        }

        [Fact]
        public void A_prompt_alone_is_one_user_message()
        {
            QwenMessage message = Assert.Single(ChatOperation.BuildMessages(Array.Empty<object>(), " hi "));
            Assert.Equal(QwenRole.User, message.RoleValue);
            Assert.Equal(" hi ", message.Content);
        }

        private static QwenChatResponse Answer(string? model) =>
            new QwenChatResponse("a", null, "stop", null, model, null, null, null, Array.Empty<QwenToolCall>(), new[] { new QwenMessage(QwenRole.User, "q") }, incomplete: false);

        [Fact]
        public void The_model_is_trimmed_and_the_last_piped_answer_with_a_model_names_it()
        {
            Assert.Equal("qwen-max", ChatOperation.ResolveModel("  qwen-max\t", Array.Empty<object>(), (ConnectionDefaults?)null));
            var pipeline = new object[] { Answer("qwen-turbo"), new QwenMessage(QwenRole.User, "x"), Answer("qwen-max"), Answer(string.Empty), Answer(null) };
            Assert.Equal("qwen-max", ChatOperation.ResolveModel(null, pipeline, (ConnectionDefaults?)null));

            var blank = Assert.Throws<QwenException>(() => ChatOperation.ResolveModel(" ", Array.Empty<object>(), (ConnectionDefaults?)null));
            Assert.Equal(" ", blank.Target);
            Assert.Equal("-Model is blank.", blank.Message);
        }

        [Fact]
        public void Each_reason_to_stream_under_the_hood_is_said_in_verbose()
        {
            var verbose = new List<string>();
            var messages = new[] { new QwenMessage(QwenRole.User, "x") };
            ChatRequest thinking = ChatOperation.PrepareRequest(new ChatRun(), new ChatRequest("qwen-plus", messages) { [ChatFields.EnableThinking] = true }, verbose.Add);
            Assert.True(thinking.Stream);
            Assert.Contains(verbose, v => v.StartsWith("Thinking is on", StringComparison.Ordinal));

            verbose.Clear();
            ChatRequest byDefault = ChatOperation.PrepareRequest(new ChatRun(), new ChatRequest("qwen3-32b", messages), verbose.Add);
            Assert.True(byDefault.Stream);
            Assert.Contains(verbose, v => v.StartsWith("qwen3-32b thinks by default", StringComparison.Ordinal));

            verbose.Clear();
            ChatRequest asked = ChatOperation.PrepareRequest(new ChatRun { Live = true }, new ChatRequest("qwen-plus", messages), verbose.Add);
            Assert.True(asked.Stream);
            Assert.DoesNotContain(verbose, v => v.Contains("streaming", StringComparison.Ordinal));

            verbose.Clear();
            ChatRequest plain = ChatOperation.PrepareRequest(new ChatRun(), new ChatRequest("qwen-plus", messages), verbose.Add);
            Assert.False(plain.Stream);
            Assert.Empty(verbose);
        }
    }
}
