using System.Collections.Generic;

namespace QwenPS.Catalog
{
    /// <summary>A model's price tiers in one region, lowest tier first.</summary>
    internal sealed class RegionPrices
    {
        public RegionPrices(string currency, IReadOnlyList<PriceTier> tiers)
        {
            Currency = currency;
            Tiers = tiers;
        }

        public string Currency { get; }

        public IReadOnlyList<PriceTier> Tiers { get; }

        /// <summary>The tier a request with this many input tokens is billed at (the last tier past the table).</summary>
        public PriceTier TierFor(long inputTokens)
        {
            foreach (PriceTier tier in Tiers)
            {
                if (tier.UpToInputTokens is null || inputTokens <= tier.UpToInputTokens.Value)
                {
                    return tier;
                }
            }

            return Tiers[Tiers.Count - 1];
        }
    }
}
