using System.Globalization;

namespace QwenPS
{
    /// <summary>
    /// The calls of this runspace to one model, summed (Get-QwenUsage): how many, their tokens and their estimated
    /// cost. Calls priced in different currencies (regions), or not priced at all, are summed on separate records.
    /// </summary>
    public sealed class QwenUsageSummary
    {
        internal QwenUsageSummary(string model, int calls, long promptTokens, long completionTokens, long totalTokens, long cachedTokens,
            long reasoningTokens, decimal? cost, string? currency, string? pricesAsOf)
        {
            Model = model;
            Calls = calls;
            PromptTokens = promptTokens;
            CompletionTokens = completionTokens;
            TotalTokens = totalTokens;
            CachedTokens = cachedTokens;
            ReasoningTokens = reasoningTokens;
            Cost = cost;
            Currency = currency;
            PricesAsOf = pricesAsOf;
        }

        public string Model { get; }

        /// <summary>Calls that reported usage.</summary>
        public int Calls { get; }

        public long PromptTokens { get; }

        public long CompletionTokens { get; }

        public long TotalTokens { get; }

        public long CachedTokens { get; }

        public long ReasoningTokens { get; }

        /// <summary>The summed estimated cost in <see cref="Currency"/>; null for calls without a price (unknown model, custom endpoint).</summary>
        public decimal? Cost { get; }

        /// <summary>CNY (Beijing) or USD (international); null when the calls had no price.</summary>
        public string? Currency { get; }

        public string? PricesAsOf { get; }

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture, "{0}: {1} call(s), {2} tokens{3}", Model, Calls, TotalTokens,
            Cost is decimal amount ? ", " + amount.ToString("0.######", CultureInfo.InvariantCulture) + " " + Currency : string.Empty);
    }
}
