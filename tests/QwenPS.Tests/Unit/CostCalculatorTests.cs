using QwenPS.Catalog;
using Xunit;

namespace QwenPS.Tests.Unit
{
    public class CostCalculatorTests
    {
        private static QwenCost? Cost(string model, QwenRegion region, BilledTokens tokens, bool batch = false)
            => CostCalculator.Estimate(ModelCatalogData.Current, model, region, tokens, batch);

        [Fact]
        public void A_flat_priced_model_bills_input_and_output_per_million()
        {
            // qwen-long, Beijing: 0.5 CNY in, 2 CNY out per 1M tokens.
            QwenCost cost = Cost("qwen-long", QwenRegion.Beijing, new BilledTokens(1_000_000, 500_000))!;

            Assert.Equal(0.5m + 1.0m, cost.Amount);
            Assert.Equal("CNY", cost.Currency);
            Assert.Equal("2026-04", cost.PricesAsOf);
            Assert.False(cost.Batch);
            Assert.Equal("1.5 CNY", cost.ToString());
        }

        [Fact]
        public void The_tier_of_the_input_applies_to_the_output_too()
        {
            // qwen3-max, Beijing: 0-32K 2.5/10, 32-128K 4/16.
            QwenCost small = Cost("qwen3-max", QwenRegion.Beijing, new BilledTokens(32_768, 1_000))!;
            QwenCost large = Cost("qwen3-max", QwenRegion.Beijing, new BilledTokens(32_769, 1_000))!;

            Assert.Equal(((32_768m * 2.5m) + (1_000m * 10m)) / 1_000_000m, small.Amount);
            Assert.Equal(((32_769m * 4m) + (1_000m * 16m)) / 1_000_000m, large.Amount);
        }

        [Fact]
        public void Thinking_output_uses_the_thinking_price()
        {
            // qwen-plus, Beijing, first tier: out 2 non-thinking, 8 thinking.
            QwenCost plain = Cost("qwen-plus", QwenRegion.Beijing, new BilledTokens(0, 1_000_000))!;
            QwenCost thinking = Cost("qwen-plus", QwenRegion.Beijing, new BilledTokens(0, 1_000_000, reasoningTokens: 400_000))!;

            Assert.Equal(2m, plain.Amount);
            Assert.Equal(8m, thinking.Amount);
        }

        [Fact]
        public void Cache_hits_and_writes_are_billed_at_their_shares_of_the_input_price()
        {
            // qwen-long input 0.5 CNY/M. Implicit hit 20%; explicit hit 10%, explicit write 125%.
            QwenCost implicitHit = Cost("qwen-long", QwenRegion.Beijing, new BilledTokens(1_000_000, 0, cachedTokens: 1_000_000))!;
            QwenCost explicitHit = Cost("qwen-long", QwenRegion.Beijing, new BilledTokens(1_000_000, 0, cachedTokens: 1_000_000, explicitCache: true))!;
            QwenCost explicitWrite = Cost("qwen-long", QwenRegion.Beijing, new BilledTokens(1_000_000, 0, cacheCreationTokens: 1_000_000, explicitCache: true))!;
            QwenCost mixed = Cost("qwen-long", QwenRegion.Beijing, new BilledTokens(1_000_000, 0, cachedTokens: 250_000, cacheCreationTokens: 250_000, explicitCache: true))!;

            Assert.Equal(0.1m, implicitHit.Amount);
            Assert.Equal(0.05m, explicitHit.Amount);
            Assert.Equal(0.625m, explicitWrite.Amount);
            Assert.Equal((500_000m * 0.5m + 250_000m * 0.05m + 250_000m * 0.625m) / 1_000_000m, mixed.Amount);
        }

        [Fact]
        public void Batch_is_half_price_without_cache_discounts()
        {
            QwenCost batch = Cost("qwen-long", QwenRegion.Beijing, new BilledTokens(1_000_000, 1_000_000, cachedTokens: 1_000_000), batch: true)!;

            Assert.Equal((0.5m + 2m) / 2, batch.Amount);
            Assert.True(batch.Batch);
        }

        [Fact]
        public void International_prices_are_in_dollars()
        {
            // qwen-plus, Singapore: 0-256K 0.4 / 1.2 USD; 256K-1M 1.2 / 3.6.
            QwenCost cost = Cost("qwen-plus", QwenRegion.Singapore, new BilledTokens(100_000, 100_000))!;
            QwenCost upper = Cost("qwen-plus", QwenRegion.Singapore, new BilledTokens(1_000_000, 1_000_000))!;

            Assert.Equal("USD", cost.Currency);
            Assert.Equal((100_000m * 0.4m + 100_000m * 1.2m) / 1_000_000m, cost.Amount);
            Assert.Equal(1.2m + 3.6m, upper.Amount);
        }

        [Fact]
        public void Omni_bills_media_input_and_spoken_answers_by_modality()
        {
            // qwen3-omni-flash, Beijing: in text 1.8, audio 15.8, image 3.3; out text 6.9 / 12.7 after media; audio 62.6.
            QwenCost textOnly = Cost("qwen3-omni-flash", QwenRegion.Beijing, new BilledTokens(1_000_000, 1_000_000))!;
            QwenCost image = Cost("qwen3-omni-flash", QwenRegion.Beijing, new BilledTokens(1_000_000, 1_000_000, promptImageTokens: 400_000))!;
            QwenCost spoken = Cost("qwen3-omni-flash", QwenRegion.Beijing, new BilledTokens(1_000_000, 1_300_000, completionAudioTokens: 1_000_000))!;

            Assert.Equal(1.8m + 6.9m, textOnly.Amount);
            Assert.Equal((600_000m * 1.8m + 400_000m * 3.3m + 1_000_000m * 12.7m) / 1_000_000m, image.Amount);
            Assert.Equal(1.8m + 62.6m, spoken.Amount);
        }

        [Fact]
        public void No_cost_without_prices_for_the_model_and_region()
        {
            Assert.Null(Cost("qwen-long", QwenRegion.Singapore, new BilledTokens(10, 10)));
            Assert.Null(Cost("qwen3-32b", QwenRegion.Beijing, new BilledTokens(10, 10)));
            Assert.Null(Cost("not-a-model", QwenRegion.Beijing, new BilledTokens(10, 10)));
        }
    }
}
