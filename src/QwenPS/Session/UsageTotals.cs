namespace QwenPS.Session
{
    /// <summary>The running sums of one model (and currency) in one runspace; changed only under its book's lock.</summary>
    internal sealed class UsageTotals
    {
        public UsageTotals(string model, string? currency, string? pricesAsOf)
        {
            Model = model;
            Currency = currency;
            PricesAsOf = pricesAsOf;
        }

        public string Model { get; }

        public string? Currency { get; }

        public string? PricesAsOf { get; }

        public int Calls { get; set; }

        public long PromptTokens { get; set; }

        public long CompletionTokens { get; set; }

        public long TotalTokens { get; set; }

        public long CachedTokens { get; set; }

        public long ReasoningTokens { get; set; }

        public decimal Cost { get; set; }

        public QwenUsageSummary ToSummary() => new QwenUsageSummary(
            Model, Calls, PromptTokens, CompletionTokens, TotalTokens, CachedTokens, ReasoningTokens, Currency != null ? Cost : (decimal?)null, Currency, PricesAsOf);
    }
}
