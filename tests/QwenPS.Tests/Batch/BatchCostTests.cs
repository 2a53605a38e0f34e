using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Batch;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Batch
{
    /// <summary>Batch results priced at the batch price, and added to the runspace's usage sums once each, over the test server.</summary>
    public sealed class BatchCostTests : IClassFixture<ServerFixture>, IDisposable
    {
        private readonly ServerFixture _fixture;
        private readonly BatchTestRun _run = new BatchTestRun("batch-cost");

        public BatchCostTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        public void Dispose() => _run.Dispose();

        private TestClient Client(object? scope, QwenRegion? region) =>
            ServerFixture.CreateClient(_fixture.Http, _fixture.Server.BaseUri, _fixture.Key, s => s.Region = region, scope);

        private Task<QwenBatch> RunAsync(TestClient test, string model, params string[] prompts) => _run.RunAsync(test, _run.Options(model), prompts);

        private Task<List<QwenBatchResult>> ReceiveAsync(TestClient test, QwenBatch batch) => _run.ReceiveAsync(test, batch);

        [Fact]
        public async Task A_result_costs_half_the_real_time_price_of_its_tokens_and_a_failed_one_nothing()
        {
            // The test server counts characters: prompt 1,000 tokens, answer "Answer to: " + prompt = 1,011 tokens.
            // qwen-plus, Beijing, first tier: 0.8 CNY in and 2 CNY out per million tokens, halved for batch.
            string prompt = new string('x', 1_000);
            TestClient test = Client(null, QwenRegion.Beijing);
            QwenBatch batch = await RunAsync(test, "qwen-plus", prompt, "broken [fail]");

            List<QwenBatchResult> results = await ReceiveAsync(test, batch);

            QwenBatchResult priced = results[0];
            Assert.Equal((1_000, 1_011), (priced.Usage!.PromptTokens, priced.Usage.CompletionTokens));
            Assert.Equal(0.001411m, priced.Cost!.Amount);
            Assert.Equal(((1_000m * 0.8m) + (1_011m * 2m)) / 1_000_000m / 2, priced.Cost.Amount);
            Assert.Equal("CNY", priced.Cost.Currency);
            Assert.True(priced.Cost.Batch);
            Assert.Same(priced.Usage.Cost, priced.Cost);
            Assert.Equal("0.001411 CNY", priced.Cost.ToString());
            Assert.Equal("Failed", results[1].Status);
            Assert.Null(results[1].Cost);
        }

        [Fact]
        public async Task A_result_has_no_cost_from_an_endpoint_that_is_no_region_s_and_none_for_a_model_without_prices()
        {
            TestClient unpriced = Client(null, null);
            QwenBatch batch = await RunAsync(unpriced, "qwen-plus", "hello");
            Assert.Null((await ReceiveAsync(unpriced, batch)).Single().Cost);

            TestClient beijing = Client(null, QwenRegion.Beijing);
            QwenBatch unknown = await RunAsync(beijing, "my-fine-tune", "hello");
            QwenBatchResult result = (await ReceiveAsync(beijing, unknown)).Single();
            Assert.NotNull(result.Usage);
            Assert.Null(result.Cost);
        }

        [Fact]
        public async Task Results_add_to_the_usage_sums_once_each_however_often_the_batch_is_received()
        {
            object scope = new object();
            TestClient test = Client(scope, QwenRegion.Beijing);
            QwenBatch batch = await RunAsync(test, "qwen-plus", "hello", "hi there", "no [fail]");

            await ReceiveAsync(test, batch);
            await ReceiveAsync(test, batch);

            // "hello" → 5 + 16 tokens, "hi there" → 8 + 19; the failed request is not billed and not counted.
            QwenUsageSummary sum = UsageOperations.Get(scope, null).Single();
            Assert.Equal(("qwen-plus", 2, 13L, 35L, 48L), (sum.Model, sum.Calls, sum.PromptTokens, sum.CompletionTokens, sum.TotalTokens));
            Assert.Equal(((13m * 0.8m) + (35m * 2m)) / 1_000_000m / 2, sum.Cost);
            Assert.Equal("CNY", sum.Currency);

            // Clearing starts afresh: the same results count again when received again.
            UsageOperations.Clear(scope, null);
            await ReceiveAsync(test, batch);
            Assert.Equal(2, UsageOperations.Get(scope, null).Single().Calls);
        }
    }
}
