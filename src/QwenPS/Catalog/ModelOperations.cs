using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace QwenPS.Catalog
{
    /// <summary>
    /// Get-QwenModel's behaviour and the -Model tab completion, over the shipped catalog (<see cref="ModelCatalogData"/>).
    /// Filters are plain predicates: the cmdlet turns its wildcards into them.
    /// </summary>
    internal static class ModelOperations
    {
        private const long K = 1024;

        /// <summary>Every capability some catalog model has, sorted (for the -Capability completer and validation).</summary>
        public static IReadOnlyList<string> Capabilities(ModelCatalogData catalog) =>
            catalog.Models.SelectMany(m => m.Capabilities).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(c => c, StringComparer.Ordinal).ToArray();

        /// <summary>
        /// The models that pass every filter given, in catalog order: the name and family predicates, all of
        /// <paramref name="capabilities"/>, one of <paramref name="regions"/>, one of <paramref name="thinking"/>.
        /// An unknown capability is refused (InvalidArgument) rather than matching nothing silently.
        /// </summary>
        public static IEnumerable<QwenModelInfo> Find(ModelCatalogData catalog, Func<string, bool>? name, Func<string, bool>? family,
            IReadOnlyCollection<string>? capabilities, IReadOnlyCollection<QwenRegion>? regions, IReadOnlyCollection<QwenThinkingMode>? thinking)
        {
            if (capabilities != null)
            {
                IReadOnlyList<string> known = Capabilities(catalog);
                foreach (string capability in capabilities)
                {
                    if (!known.Contains(capability, StringComparer.OrdinalIgnoreCase))
                    {
                        throw new QwenException(
                            QwenErrorIds.InvalidArgument,
                            QwenErrorCategory.InvalidArgument,
                            "No model has the capability '" + capability + "'. Known capabilities: " + string.Join(", ", known) + ".") { Target = capability };
                    }
                }
            }

            return catalog.Models
                .Where(m => name == null || name(m.Name))
                .Where(m => family == null || family(m.Family))
                .Where(m => capabilities == null || capabilities.All(m.Has))
                .Where(m => regions == null || regions.Count == 0 || m.Regions.Any(regions.Contains))
                .Where(m => thinking == null || thinking.Count == 0 || thinking.Contains(m.Thinking))
                .Select(m => ToInfo(m, catalog.PricesAsOf))
                .ToList();
        }

        /// <summary>The catalog name of <paramref name="model"/>: itself, or the model a dated snapshot belongs to (qwen-plus-2025-07-14 → qwen-plus); null when unknown.</summary>
        public static string? CatalogName(ModelCatalogData catalog, string model) => catalog.Find(model)?.Name;

        /// <summary>Catalog model names starting with <paramref name="prefix"/> (case-insensitive, quotes ignored), in catalog order.</summary>
        public static IEnumerable<string> Complete(ModelCatalogData catalog, string? prefix)
        {
            string start = (prefix ?? string.Empty).Trim('\'', '"');
            return catalog.Models.Select(m => m.Name).Where(m => m.StartsWith(start, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>"Beijing CNY: 0-32K 2.5/10, 32K-128K 4/16; Singapore USD: 1.2/6" (input/output per million tokens; K = 1,024 tokens).</summary>
        internal static string DescribePrices(IReadOnlyDictionary<QwenRegion, RegionPrices> prices)
        {
            var text = new StringBuilder();
            foreach (KeyValuePair<QwenRegion, RegionPrices> region in prices.OrderBy(p => p.Key))
            {
                if (text.Length > 0)
                {
                    text.Append("; ");
                }

                text.Append(region.Key).Append(' ').Append(region.Value.Currency).Append(": ");
                long? lower = 0;
                for (int i = 0; i < region.Value.Tiers.Count; i++)
                {
                    PriceTier tier = region.Value.Tiers[i];
                    if (i > 0)
                    {
                        text.Append(", ");
                    }

                    if (region.Value.Tiers.Count > 1 || tier.UpToInputTokens != null)
                    {
                        text.Append(Tokens(lower ?? 0)).Append('-').Append(tier.UpToInputTokens is long up ? Tokens(up) : "max").Append(' ');
                    }

                    text.Append(Number(tier.Input)).Append('/').Append(Number(tier.Output));
                    if (tier.ThinkingOutput is decimal thinking)
                    {
                        text.Append(" (thinking ").Append(Number(thinking)).Append(')');
                    }

                    lower = tier.UpToInputTokens;
                }
            }

            return text.ToString();
        }

        private static QwenModelInfo ToInfo(ModelEntry m, string pricesAsOf) => new QwenModelInfo(
            m.Name, m.Family, m.Regions.ToArray(), m.ContextTokens, m.MaxInputTokens, m.MaxOutputTokens, m.Thinking, m.StreamOnly,
            m.CumulativeStream, m.Capabilities.ToArray(), DescribePrices(m.Prices), pricesAsOf);

        private static string Tokens(long tokens) =>
            tokens == 0 ? "0"
            : tokens % (K * K) == 0 ? (tokens / (K * K)).ToString(CultureInfo.InvariantCulture) + "M"
            : tokens % K == 0 ? (tokens / K).ToString(CultureInfo.InvariantCulture) + "K"
            : tokens.ToString(CultureInfo.InvariantCulture);

        private static string Number(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);
    }
}
