using System.Globalization;

namespace QwenPS
{
    /// <summary>
    /// What one call (or a sum of calls) cost, from the price table QwenPS ships (<see cref="PricesAsOf"/>).
    /// An estimate for budgeting, not a bill: prices change, and the console's bill is the truth.
    /// </summary>
    public sealed class QwenCost
    {
        internal QwenCost(decimal amount, string currency, string pricesAsOf, bool batch)
        {
            Amount = amount;
            Currency = currency;
            PricesAsOf = pricesAsOf;
            Batch = batch;
        }

        /// <summary>The amount in <see cref="Currency"/>.</summary>
        public decimal Amount { get; }

        /// <summary>CNY for the Beijing region, USD for the international ones.</summary>
        public string Currency { get; }

        /// <summary>The month of the price table the amount comes from, e.g. 2026-04.</summary>
        public string PricesAsOf { get; }

        /// <summary>True when the batch price (half the real-time price) was applied.</summary>
        public bool Batch { get; }

        /// <summary>"0.000123 CNY": what Export-Csv and the console show.</summary>
        public override string ToString()
            => Amount.ToString("0.######", CultureInfo.InvariantCulture) + " " + Currency;
    }
}
