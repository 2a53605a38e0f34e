using System;
using System.Collections.Generic;

namespace QwenPS.Catalog
{
    /// <summary>One model of the catalog (Catalog/qwen-models.json): its limits, habits, capabilities and prices.</summary>
    internal sealed class ModelEntry
    {
        public ModelEntry(string name, string family, IReadOnlyList<QwenRegion> regions, long? contextTokens, long? maxInputTokens,
            long? maxOutputTokens, QwenThinkingMode thinking, bool streamOnly, bool cumulativeStream, IReadOnlyList<string> capabilities,
            IReadOnlyDictionary<QwenRegion, RegionPrices> prices)
        {
            Name = name;
            Family = family;
            Regions = regions;
            ContextTokens = contextTokens;
            MaxInputTokens = maxInputTokens;
            MaxOutputTokens = maxOutputTokens;
            Thinking = thinking;
            StreamOnly = streamOnly;
            CumulativeStream = cumulativeStream;
            Capabilities = capabilities;
            Prices = prices;
        }

        public string Name { get; }

        public string Family { get; }

        public IReadOnlyList<QwenRegion> Regions { get; }

        public long? ContextTokens { get; }

        public long? MaxInputTokens { get; }

        public long? MaxOutputTokens { get; }

        public QwenThinkingMode Thinking { get; }

        public bool StreamOnly { get; }

        /// <summary>Streamed chunks repeat the whole text so far (Qwen-MT plus and turbo) instead of adding to it.</summary>
        public bool CumulativeStream { get; }

        public IReadOnlyList<string> Capabilities { get; }

        public IReadOnlyDictionary<QwenRegion, RegionPrices> Prices { get; }

        public bool Has(string capability)
        {
            foreach (string c in Capabilities)
            {
                if (string.Equals(c, capability, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
