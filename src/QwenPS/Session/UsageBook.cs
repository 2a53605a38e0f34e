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

        // The batch results already counted, by model and batch id: a 64-bit hash of each custom id (8 bytes a result,
        // so 50,000 results hold well under a megabyte; two ids of one batch sharing a hash is a 1-in-10^10 chance).
        private readonly Dictionary<string, HashSet<ulong>> _countedResults = new Dictionary<string, HashSet<ulong>>(StringComparer.Ordinal);

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

        /// <summary>
        /// Adds the usage of one batch result unless this book has counted that result (batch id and custom id) before,
        /// so receiving a batch twice does not count its spend twice. Returns whether it was added.
        /// </summary>
        public bool AddBatchResult(string model, string batchId, string customId, QwenUsage usage)
        {
            string key = model + "\n" + batchId;
            lock (_lock)
            {
                if (!_countedResults.TryGetValue(key, out HashSet<ulong>? counted))
                {
                    counted = new HashSet<ulong>();
                    _countedResults.Add(key, counted);
                }

                if (!counted.Add(Hash(customId)))
                {
                    return false;
                }

                Add(model, usage);
                return true;
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

                // Cleared sums start afresh: those models' batch results count again when received again.
                foreach (string key in _countedResults.Keys.Where(k => model(k.Substring(0, k.IndexOf('\n')))).ToArray())
                {
                    _countedResults.Remove(key);
                }

                return keys.Length;
            }
        }

        /// <summary>64-bit FNV-1a over the id's UTF-16 code units (string.GetHashCode has only 32 bits).</summary>
        private static ulong Hash(string text)
        {
            ulong hash = 14695981039346656037UL;
            foreach (char c in text)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return hash;
        }
    }
}
