using System;
using System.Linq;
using System.Threading.Tasks;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using QwenPS.Transport;
using Xunit;

namespace QwenPS.Tests.Client
{
    /// <summary>Cost on usage records and responses, and the per-runspace sums of Get-QwenUsage, over the test server.</summary>
    public sealed class UsageCostTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public UsageCostTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private static ChatReply Reply(int prompt, int completion, int cached = 0, int reasoning = 0) => new ChatReply
        {
            ContentChunks = new[] { "An", "swer" },
            Usage = new UsageReply(prompt, completion, prompt + completion, cached, reasoning),
        };

        private static async Task<QwenChatResponse> Chat(TestClient test, string model, bool stream)
        {
            var request = new ChatRequest(model, new[] { new QwenMessage(QwenRole.User, "hi") }) { Stream = stream };
            return await ChatOperation.RunAsync(test.Client, request, new ChatRun { Stream = stream }, test.Output, default);
        }

        [Fact]
        public async Task A_Beijing_call_is_priced_from_its_usage_on_the_response_and_the_usage_record()
        {
            // qwen-plus, Beijing, first tier: 0.8 CNY in, 2 CNY out (8 when thinking) per million tokens.
            _fixture.Server.Enqueue(ServerBehavior.Reply(Reply(1_000, 500)));
            TestClient test = _fixture.CreateClient(s => s.Region = QwenRegion.Beijing);

            QwenChatResponse response = await Chat(test, "qwen-plus", stream: false);

            Assert.Equal(((1_000m * 0.8m) + (500m * 2m)) / 1_000_000m, response.Cost!.Amount);
            Assert.Equal("CNY", response.Cost.Currency);
            Assert.Same(response.Usage!.Cost, response.Cost);
            Assert.Equal("prompt 1000, completion 500, total 1500, cost 0.0018 CNY", response.Usage.ToString());
        }

        [Fact]
        public async Task A_streamed_usage_record_has_its_cost_when_it_is_written_with_thinking_and_cache_prices()
        {
            // 400 of the 1,000 input tokens hit the implicit cache (20% of the input price); reasoning makes the output thinking-priced.
            _fixture.Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = Reply(1_000, 500, cached: 400, reasoning: 100) }));
            TestClient test = _fixture.CreateClient(s => s.Region = QwenRegion.Beijing);

            QwenChatResponse response = await Chat(test, "qwen-plus", stream: true);

            QwenUsage written = test.Output.Objects.OfType<QwenUsage>().Single();
            decimal expected = ((600m * 0.8m) + (400m * 0.8m * 0.2m) + (500m * 8m)) / 1_000_000m;
            Assert.Equal(expected, written.Cost!.Amount);
            Assert.Equal(expected, response.Cost!.Amount);
        }

        [Fact]
        public async Task A_custom_endpoint_or_an_unknown_model_has_no_cost()
        {
            _fixture.Server.Enqueue(ServerBehavior.Reply(Reply(10, 10)));
            _fixture.Server.Enqueue(ServerBehavior.Reply(Reply(10, 10)));

            // The test server's loopback address is no region's endpoint.
            QwenChatResponse custom = await Chat(_fixture.CreateClient(), "qwen-plus", stream: false);
            QwenChatResponse unknown = await Chat(_fixture.CreateClient(s => s.Region = QwenRegion.Beijing), "my-fine-tune", stream: false);

            Assert.NotNull(custom.Usage);
            Assert.Null(custom.Cost);
            Assert.Null(unknown.Cost);
        }

        [Theory]
        [InlineData("https://dashscope.aliyuncs.com/compatible-mode/v1", QwenRegion.Beijing)]
        [InlineData("https://DASHSCOPE-INTL.aliyuncs.com/compatible-mode/v1/", QwenRegion.Singapore)]
        [InlineData("https://dashscope-us.aliyuncs.com/other/path", QwenRegion.US)]
        [InlineData("https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1", QwenRegion.HongKong)]
        public void A_base_uri_on_a_region_host_is_that_region(string uri, QwenRegion region)
        {
            Assert.Equal(region, QwenEndpoints.RegionOf(new Uri(uri)));
        }

        [Fact]
        public void Another_host_is_no_region()
        {
            Assert.Null(QwenEndpoints.RegionOf(new Uri("https://proxy.example.com/compatible-mode/v1")));
            Assert.Null(QwenEndpoints.RegionOf(new Uri("http://127.0.0.1:5000/compatible-mode/v1")));
        }

        [Fact]
        public async Task Calls_are_summed_by_model_in_their_own_runspace_only()
        {
            object scope = new object();
            object other = new object();
            _fixture.Server.Enqueue(ServerBehavior.Reply(Reply(1_000, 500)));
            _fixture.Server.Enqueue(ServerBehavior.Reply(Reply(2_000, 100)));
            _fixture.Server.Enqueue(ServerBehavior.Reply(Reply(7, 3)));
            TestClient beijing = ServerFixture.CreateClient(_fixture.Http, _fixture.Server.BaseUri, _fixture.Key, s => s.Region = QwenRegion.Beijing, scope);

            await Chat(beijing, "qwen-plus", stream: false);
            await Chat(beijing, "qwen-plus", stream: false);
            await Chat(ServerFixture.CreateClient(_fixture.Http, _fixture.Server.BaseUri, _fixture.Key, null, scope), "qwen-plus", stream: false);

            QwenUsageSummary[] sums = UsageOperations.Get(scope, null).ToArray();
            QwenUsageSummary priced = sums.Single(s => s.Currency == "CNY");
            Assert.Equal("qwen-plus", priced.Model);
            Assert.Equal(2, priced.Calls);
            Assert.Equal(3_000, priced.PromptTokens);
            Assert.Equal(600, priced.CompletionTokens);
            Assert.Equal(3_600, priced.TotalTokens);
            Assert.Equal(((3_000m * 0.8m) + (600m * 2m)) / 1_000_000m, priced.Cost);
            QwenUsageSummary unpriced = sums.Single(s => s.Currency == null);
            Assert.Equal(1, unpriced.Calls);
            Assert.Null(unpriced.Cost);
            Assert.Empty(UsageOperations.Get(other, null));

            Assert.Equal(2, UsageOperations.Clear(scope, m => m == "qwen-plus"));
            Assert.Empty(UsageOperations.Get(scope, null));
        }

        [Fact]
        public void Usage_recorded_from_many_threads_at_once_is_summed_exactly()
        {
            object scope = new object();
            Parallel.For(0, 2_000, i =>
            {
                var usage = new QwenUsage(3, 2, 5, null, null);
                UsageOperations.Record(scope, i % 2 == 0 ? "qwen-mt-flash" : "qwen-mt-plus", usage);
            });

            QwenUsageSummary[] sums = UsageOperations.Get(scope, m => m.StartsWith("qwen-mt", StringComparison.Ordinal)).ToArray();
            Assert.Equal(new[] { 1_000, 1_000 }, sums.Select(s => s.Calls));
            Assert.All(sums, s => Assert.Equal(5_000, s.TotalTokens));
        }
    }
}
