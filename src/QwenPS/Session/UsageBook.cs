using System;
using System.Collections.Generic;
using System.Linq;

namespace QwenPS.Session
{
    /// <summary>
    /// One runspace's usage sums by model and currency. Calls finish on thread-pool workers, several at once
    /// (Invoke-QwenTranslation -ThrottleLimit), so every read and write takes the lock.
    /// </summary>
    internal sealed class UsageBook
    {
        private readonly object _lock = new object();
        private readonly Dictionary<string, UsageTotals> _totals = new Dictionary<string, UsageTotals>(StringComparer.OrdinalIgnoreCase);

        public void Add(string model, QwenUsage usage)
        {
            QwenCost? cost = usage.Cost;
            string key = model + "\n" + (cost?.Currency ?? string.Empty);
            lock (_lock)
            {
                if (!_totals.TryGetValue(key, out UsageTotals? totals))
                {
                    totals = new UsageTotals(model, cost?.Currency, cost?.PricesAsOf);
                    _totals.Add(key, totals);
                }

                totals.Calls++;
                totals.PromptTokens += usage.PromptTokens;
                totals.CompletionTokens += usage.CompletionTokens;
                totals.TotalTokens += usage.TotalTokens;
                totals.CachedTokens += usage.CachedTokens ?? 0;
                totals.ReasoningTokens += usage.ReasoningTokens ?? 0;
                totals.Cost += cost?.Amount ?? 0;
            }
        }

        /// <summary>A snapshot, sorted by model then currency.</summary>
        public IReadOnlyList<QwenUsageSummary> Summaries()
        {
            lock (_lock)
            {
                return _totals.Values
                    .OrderBy(t => t.Model, StringComparer.OrdinalIgnoreCase)
                    .ThenBy(t => t.Currency, StringComparer.Ordinal)
                    .Select(t => t.ToSummary())
                    .ToList();
            }
        }

        /// <summary>Forgets the sums of the models <paramref name="model"/> accepts; returns how many records went.</summary>
        public int Clear(Func<string, bool> model)
        {
            lock (_lock)
            {
                string[] keys = _totals.Where(t => model(t.Value.Model)).Select(t => t.Key).ToArray();
                foreach (string key in keys)
                {
                    _totals.Remove(key);
                }

                return keys.Length;
            }
        }
    }
}
