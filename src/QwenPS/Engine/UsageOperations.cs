using System;
using System.Collections.Generic;
using System.Linq;
using QwenPS.Session;

namespace QwenPS.Engine
{
    /// <summary>
    /// What this runspace's calls used and cost (Get-QwenUsage, Clear-QwenUsage): every operation that gets a usage
    /// record adds it here, on whichever thread the call finished. Sends no request.
    /// </summary>
    internal static class UsageOperations
    {
        /// <summary>Adds one call's usage to the book of <paramref name="scope"/>; nothing without a scope or usage.</summary>
        public static void Record(object? scope, string? model, QwenUsage? usage)
        {
            if (scope != null && usage != null)
            {
                UsageLedger.For(scope).Add(Name(model), usage);
            }
        }

        /// <summary>
        /// Adds a batch result's usage to the book of <paramref name="scope"/>, once per result (batch id and custom id):
        /// the batch spend is real spend, and receiving the batch again must not count it twice.
        /// </summary>
        public static void RecordBatchResult(object? scope, string? model, string batchId, string customId, QwenUsage? usage)
        {
            if (scope != null && usage != null)
            {
                UsageLedger.For(scope).AddBatchResult(Name(model), batchId, customId, usage);
            }
        }

        /// <summary>The sums of the models <paramref name="model"/> accepts (all when null).</summary>
        public static IEnumerable<QwenUsageSummary> Get(object scope, Func<string, bool>? model) =>
            UsageLedger.For(scope).Summaries().Where(s => model == null || model(s.Model));

        /// <summary>Forgets the sums of the models <paramref name="model"/> accepts (all when null); returns how many records went.</summary>
        public static int Clear(object scope, Func<string, bool>? model) => UsageLedger.For(scope).Clear(model ?? (_ => true));

        private static string Name(string? model) => string.IsNullOrWhiteSpace(model) ? "(unknown)" : model!.Trim();
    }
}
