namespace QwenPS.Catalog
{
    /// <summary>Puts <see cref="QwenUsage.Cost"/> on a usage record from the catalog's price table (docs/dashscope-notes.md, "Models and prices").</summary>
    internal static class UsagePricing
    {
        /// <summary>The usage's token counts as the price table bills them: explicit cache when the cache type is "ephemeral"; image and video input at the image price (Omni).</summary>
        public static BilledTokens Billed(QwenUsage usage) => new BilledTokens(
            usage.PromptTokens,
            usage.CompletionTokens,
            usage.CachedTokens ?? 0,
            usage.CacheCreationTokens ?? 0,
            explicitCache: string.Equals(usage.CacheType, "ephemeral", System.StringComparison.OrdinalIgnoreCase) || (usage.CacheCreationTokens ?? 0) > 0,
            reasoningTokens: usage.ReasoningTokens ?? 0,
            promptAudioTokens: usage.PromptAudioTokens ?? 0,
            promptImageTokens: (usage.PromptImageTokens ?? 0) + (usage.PromptVideoTokens ?? 0),
            completionAudioTokens: usage.CompletionAudioTokens ?? 0);

        /// <summary>Sets the cost of <paramref name="usage"/> (null when there is no usage, no region or no price) and returns it;
        /// <paramref name="batch"/> applies the batch price (half, no cache discount).</summary>
        public static QwenUsage? Price(QwenUsage? usage, string? model, QwenRegion? region, bool batch = false)
        {
            if (usage != null)
            {
                usage.Cost = region is QwenRegion known ? CostCalculator.Estimate(ModelCatalogData.Current, model, known, Billed(usage), batch) : null;
            }

            return usage;
        }
    }
}
