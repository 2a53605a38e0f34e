using System;

namespace QwenPS.Catalog
{
    /// <summary>
    /// Estimates what a call cost from the catalog's price table (docs/dashscope-notes.md, "Models and prices"):
    /// the tier is chosen by the request's input tokens and applies to all its tokens; thinking output may cost more;
    /// implicit cache hits cost 20% of the input price, explicit hits 10% and explicit cache writes 125%; batch is
    /// half of everything, with no cache discount. Null when the model or the region has no prices.
    /// </summary>
    internal static class CostCalculator
    {
        private const decimal PerMillion = 1_000_000m;
        private const decimal ImplicitCacheHit = 0.2m;
        private const decimal ExplicitCacheHit = 0.1m;
        private const decimal ExplicitCacheWrite = 1.25m;
        private const decimal BatchShare = 0.5m;

        public static QwenCost? Estimate(ModelCatalogData catalog, string? model, QwenRegion region, BilledTokens tokens, bool batch = false)
        {
            ModelEntry? entry = catalog.Find(model);
            if (entry is null || !entry.Prices.TryGetValue(region, out RegionPrices? prices))
            {
                return null;
            }

            PriceTier tier = prices.TierFor(tokens.PromptTokens);
            decimal inputCost = InputCost(tier, tokens, batch);
            decimal outputCost = OutputCost(tier, tokens);
            decimal amount = (inputCost + outputCost) / PerMillion;
            if (batch)
            {
                amount *= BatchShare;
            }

            return new QwenCost(Math.Round(amount, 8), prices.Currency, catalog.PricesAsOf, batch);
        }

        private static decimal InputCost(PriceTier tier, BilledTokens tokens, bool batch)
        {
            long audio = Math.Max(0, tokens.PromptAudioTokens);
            long image = Math.Max(0, tokens.PromptImageTokens);
            decimal media = (audio * (tier.AudioInput ?? tier.Input)) + (image * (tier.ImageInput ?? tier.Input));
            long text = Math.Max(0, tokens.PromptTokens - audio - image);
            if (batch)
            {
                // Batch has no cache discount: every input token at the (halved) input price.
                return media + (text * tier.Input);
            }

            long cached = Math.Min(text, Math.Max(0, tokens.CachedTokens));
            long created = Math.Min(text - cached, Math.Max(0, tokens.CacheCreationTokens));
            long regular = text - cached - created;
            decimal hitShare = tokens.ExplicitCache ? ExplicitCacheHit : ImplicitCacheHit;
            return media + (regular * tier.Input) + (cached * tier.Input * hitShare) + (created * tier.Input * ExplicitCacheWrite);
        }

        private static decimal OutputCost(PriceTier tier, BilledTokens tokens)
        {
            long audio = Math.Max(0, tokens.CompletionAudioTokens);
            if (audio > 0 && tier.AudioOutput is decimal audioPrice)
            {
                // An answer spoken as audio bills its audio tokens; its text is not billed.
                return audio * audioPrice;
            }

            decimal price = tier.Output;
            if (tokens.ReasoningTokens > 0 && tier.ThinkingOutput is decimal thinking)
            {
                price = thinking;
            }
            else if ((tokens.PromptAudioTokens > 0 || tokens.PromptImageTokens > 0) && tier.MultimodalOutput is decimal multimodal)
            {
                price = multimodal;
            }

            return Math.Max(0, tokens.CompletionTokens) * price;
        }
    }
}
