using System;
using System.Linq;
using QwenPS.Catalog;
using QwenPS.Engine;
using Xunit;

namespace QwenPS.Tests.Unit
{
    public class ModelOperationsTests
    {
        private static ModelCatalogData Catalog => ModelCatalogData.Current;

        [Fact]
        public void Without_filters_every_catalog_model_comes_back_in_catalog_order()
        {
            QwenModelInfo[] all = ModelOperations.Find(Catalog, null, null, null, null, null).ToArray();

            Assert.Equal(Catalog.Models.Select(m => m.Name), all.Select(m => m.Name));
            Assert.All(all, m => Assert.Equal("2026-04", m.PricesAsOf));
        }

        [Fact]
        public void A_model_record_carries_limits_habits_capabilities_and_readable_prices()
        {
            QwenModelInfo max = ModelOperations.Find(Catalog, n => n == "qwen3-max", null, null, null, null).Single();

            Assert.Equal("Qwen3-Max", max.Family);
            Assert.Equal(new[] { QwenRegion.Beijing, QwenRegion.Singapore }, max.Regions);
            Assert.Equal(QwenThinkingMode.OffByDefault, max.ThinkingValue);
            Assert.Contains("Cache", max.Capabilities);
            Assert.Equal("Beijing CNY: 0-32K 2.5/10, 32K-128K 4/16, 128K-252K 7/28; Singapore USD: 0-32K 1.2/6, 32K-128K 2.4/12, 128K-252K 3/15", max.Prices);
        }

        [Fact]
        public void Thinking_prices_and_untiered_prices_read_as_text()
        {
            Assert.Equal("Beijing CNY: 2.4/9.6; Singapore USD: 1.6/6.4", ModelOperations.Find(Catalog, n => n == "qwen-max", null, null, null, null).Single().Prices);
            Assert.StartsWith("Beijing CNY: 0-128K 0.8/2 (thinking 8), 128K-256K 2.4/20 (thinking 24), 256K-1M 4.8/48 (thinking 64); Singapore USD:",
                ModelOperations.Find(Catalog, n => n == "qwen-plus", null, null, null, null).Single().Prices);
        }

        [Fact]
        public void Filters_combine_capabilities_all_regions_and_thinking_any()
        {
            QwenModelInfo[] math = ModelOperations.Find(Catalog, null, null, new[] { "math" }, null, null).ToArray();
            Assert.Equal(new[] { "qwen-math-plus", "qwen-math-turbo", "qwen2.5-math-72b-instruct", "qwen2.5-math-7b-instruct" }, math.Select(m => m.Name));

            QwenModelInfo[] fim = ModelOperations.Find(Catalog, null, null, new[] { "FillInTheMiddle", "Code" }, new[] { QwenRegion.Beijing }, null).ToArray();
            Assert.NotEmpty(fim);
            Assert.All(fim, m => Assert.Contains("FillInTheMiddle", m.Capabilities));

            QwenModelInfo[] always = ModelOperations.Find(Catalog, null, null, null, null, new[] { QwenThinkingMode.Always }).ToArray();
            Assert.Contains(always, m => m.Name == "qwq-plus");
            Assert.All(always, m => Assert.Equal(QwenThinkingMode.Always, m.ThinkingValue));

            Assert.Empty(ModelOperations.Find(Catalog, null, f => f == "no such family", null, null, null));
        }

        [Fact]
        public void An_unknown_capability_is_refused_with_the_known_ones()
        {
            QwenException error = Assert.Throws<QwenException>(() => ModelOperations.Find(Catalog, null, null, new[] { "Telepathy" }, null, null));

            Assert.Equal(QwenErrorIds.InvalidArgument, error.ErrorId);
            Assert.Contains("Translation", error.Message);
            Assert.Equal("Telepathy", error.Target);
        }

        [Fact]
        public void Model_completion_comes_from_the_catalog_and_matches_prefixes_case_insensitively()
        {
            Assert.Contains("qwq-32b", ModelOperations.Complete(Catalog, "QWQ"));
            Assert.Contains("qwen-mt-lite", ModelOperations.Complete(Catalog, "'qwen-mt"));
            Assert.All(ModelOperations.Complete(Catalog, "qwen-l"), m => Assert.StartsWith("qwen-l", m));
            Assert.Equal(Catalog.Models.Count, ModelOperations.Complete(Catalog, string.Empty).Count());
        }

        [Fact]
        public void The_name_habits_agree_with_the_catalog_for_every_model_it_lists()
        {
            // The habits read names, so they also hold for models the catalog does not know; where it does know, both must agree.
            foreach (ModelEntry model in Catalog.Models)
            {
                Assert.True(model.StreamOnly == ModelCatalog.IsStreamOnly(model.Name), model.Name + ": catalog StreamOnly " + model.StreamOnly);
            }

            Assert.True(ModelCatalog.IsStreamOnly("qwq-plus-2099-01-01"));
        }

        [Fact]
        public void Capabilities_are_listed_once_each_sorted()
        {
            var capabilities = ModelOperations.Capabilities(Catalog);

            Assert.Equal(capabilities.OrderBy(c => c, StringComparer.Ordinal), capabilities);
            Assert.Equal(capabilities.Count, capabilities.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Contains("FillInTheMiddle", capabilities);
        }
    }
}
