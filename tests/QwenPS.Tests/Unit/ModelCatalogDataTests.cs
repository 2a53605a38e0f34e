using System.IO;
using System.Linq;
using QwenPS.Catalog;
using Xunit;

namespace QwenPS.Tests.Unit
{
    public class ModelCatalogDataTests
    {
        [Fact]
        public void The_shipped_catalog_loads_with_a_dated_price_table()
        {
            ModelCatalogData catalog = ModelCatalogData.Current;

            Assert.Equal("2026-04", catalog.PricesAsOf);
            Assert.True(catalog.Models.Count >= 40);
            Assert.Equal(catalog.Models.Count, catalog.Models.Select(m => m.Name).Distinct(System.StringComparer.OrdinalIgnoreCase).Count());
        }

        [Fact]
        public void Entries_carry_the_habits_the_service_documents()
        {
            ModelCatalogData catalog = ModelCatalogData.Current;

            ModelEntry qwq = catalog.Find("qwq-plus")!;
            Assert.True(qwq.StreamOnly);
            Assert.Equal(QwenThinkingMode.Always, qwq.Thinking);

            ModelEntry plus = catalog.Find("QWEN-PLUS")!;
            Assert.Equal(QwenThinkingMode.OffByDefault, plus.Thinking);
            Assert.Equal(new[] { QwenRegion.Beijing, QwenRegion.Singapore }, plus.Regions);

            ModelEntry mtPlus = catalog.Find("qwen-mt-plus")!;
            Assert.True(mtPlus.CumulativeStream);
            Assert.False(catalog.Find("qwen-mt-flash")!.CumulativeStream);
            Assert.Equal(8192, mtPlus.MaxInputTokens);

            ModelEntry math = catalog.Find("qwen-math-plus")!;
            Assert.Equal(4096, math.ContextTokens);
            Assert.Equal(new[] { QwenRegion.Beijing }, math.Regions);
            Assert.True(math.Has("math"));

            Assert.True(catalog.Find("qwen-coder-turbo")!.Has("FillInTheMiddle"));
            Assert.False(catalog.Find("qwen3-coder-plus")!.Has("FillInTheMiddle"));
        }

        [Fact]
        public void Aliases_share_the_prices_of_their_model()
        {
            ModelCatalogData catalog = ModelCatalogData.Current;

            Assert.Same(catalog.Find("qwen-plus")!.Prices, catalog.Find("qwen-plus-latest")!.Prices);
        }

        [Theory]
        [InlineData("qwen-plus-2025-07-14", "qwen-plus")]
        [InlineData("qwq-plus-0305", "qwq-plus")]
        [InlineData("qwen3-max", "qwen3-max")]
        public void Dated_snapshots_find_their_model(string name, string expected)
        {
            Assert.Equal(expected, ModelCatalogData.Current.Find(name)!.Name);
        }

        [Theory]
        [InlineData("qwen-plus-extra")]
        [InlineData("my-model")]
        [InlineData("")]
        [InlineData(null)]
        public void Unknown_models_are_not_found(string? name)
        {
            Assert.Null(ModelCatalogData.Current.Find(name));
        }

        [Fact]
        public void A_tier_is_chosen_by_the_request_input_tokens()
        {
            RegionPrices beijing = ModelCatalogData.Current.Find("qwen-plus")!.Prices[QwenRegion.Beijing];

            Assert.Equal(0.8m, beijing.TierFor(131072).Input);
            Assert.Equal(2.4m, beijing.TierFor(131073).Input);
            Assert.Equal(4.8m, beijing.TierFor(2_000_000).Input);
        }

        [Fact]
        public void A_broken_catalog_is_refused_with_the_reason()
        {
            var ex = Assert.Throws<InvalidDataException>(() => ModelCatalogData.Parse(
                "{\"pricesAsOf\":\"x\",\"models\":[{\"name\":\"m\",\"family\":\"f\",\"regions\":[\"Mars\"],\"thinking\":\"None\"}]}"));
            Assert.Contains("Mars", ex.Message);

            ex = Assert.Throws<InvalidDataException>(() => ModelCatalogData.Parse(
                "{\"pricesAsOf\":\"x\",\"models\":[{\"name\":\"a\",\"family\":\"f\",\"regions\":[],\"thinking\":\"None\",\"pricesFrom\":\"b\"}]}"));
            Assert.Contains("takes its prices from b", ex.Message);
        }
    }
}
