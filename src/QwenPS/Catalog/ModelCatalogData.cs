using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace QwenPS.Catalog
{
    /// <summary>
    /// The model catalog and price table shipped in the DLL (Catalog/qwen-models.json, an embedded resource), read
    /// once on first use with JsonDocument: a small file, no reflection, nothing to configure. Prices are a dated
    /// snapshot (<see cref="PricesAsOf"/>); docs/dashscope-notes.md says where they come from.
    /// </summary>
    internal sealed class ModelCatalogData
    {
        internal const string ResourceName = "QwenPS.Catalog.qwen-models.json";

        private static readonly Lazy<ModelCatalogData> Shipped = new Lazy<ModelCatalogData>(LoadShipped);

        private readonly Dictionary<string, ModelEntry> _byName;

        private ModelCatalogData(string pricesAsOf, IReadOnlyList<ModelEntry> models)
        {
            PricesAsOf = pricesAsOf;
            Models = models;
            _byName = new Dictionary<string, ModelEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (ModelEntry model in models)
            {
                _byName[model.Name] = model;
            }
        }

        public static ModelCatalogData Current => Shipped.Value;

        public string PricesAsOf { get; }

        /// <summary>In the file's order (families together, the recommended model of each first).</summary>
        public IReadOnlyList<ModelEntry> Models { get; }

        /// <summary>The entry for a model name (case-insensitive), or for the dated snapshot's base name
        /// (qwen-plus-2025-07-14 → qwen-plus), or null.</summary>
        public ModelEntry? Find(string? model)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                return null;
            }

            string name = model!.Trim();
            if (_byName.TryGetValue(name, out ModelEntry? entry))
            {
                return entry;
            }

            string? baseName = SnapshotBaseName(name);
            return baseName is not null && _byName.TryGetValue(baseName, out entry) ? entry : null;
        }

        /// <summary>Parses a catalog document; throws InvalidDataException naming what is wrong.</summary>
        internal static ModelCatalogData Parse(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            string asOf = RequiredString(root, "pricesAsOf", "the catalog");
            var rawModels = new List<JsonElement>();
            foreach (JsonElement model in root.GetProperty("models").EnumerateArray())
            {
                rawModels.Add(model);
            }

            // "pricesFrom" lets an alias (qwen-plus-latest) share the prices of its model without repeating them.
            var pricesByName = new Dictionary<string, IReadOnlyDictionary<QwenRegion, RegionPrices>>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonElement model in rawModels)
            {
                if (model.TryGetProperty("prices", out JsonElement prices))
                {
                    pricesByName[RequiredString(model, "name", "a model")] = ParsePrices(prices, RequiredString(model, "name", "a model"));
                }
            }

            var models = new List<ModelEntry>(rawModels.Count);
            foreach (JsonElement model in rawModels)
            {
                string name = RequiredString(model, "name", "a model");
                IReadOnlyDictionary<QwenRegion, RegionPrices> modelPrices = new Dictionary<QwenRegion, RegionPrices>();
                if (pricesByName.TryGetValue(name, out IReadOnlyDictionary<QwenRegion, RegionPrices>? own))
                {
                    modelPrices = own;
                }
                else if (model.TryGetProperty("pricesFrom", out JsonElement from))
                {
                    if (!pricesByName.TryGetValue(from.GetString() ?? string.Empty, out IReadOnlyDictionary<QwenRegion, RegionPrices>? shared))
                    {
                        throw new InvalidDataException("Model " + name + " takes its prices from " + from.GetString() + ", which has none.");
                    }

                    modelPrices = shared;
                }

                models.Add(new ModelEntry(
                    name,
                    RequiredString(model, "family", name),
                    ParseRegions(model, name),
                    OptionalLong(model, "contextTokens"),
                    OptionalLong(model, "maxInputTokens"),
                    OptionalLong(model, "maxOutputTokens"),
                    ParseEnum<QwenThinkingMode>(RequiredString(model, "thinking", name), name),
                    OptionalBool(model, "streamOnly"),
                    OptionalBool(model, "cumulativeStream"),
                    ParseStrings(model, "capabilities"),
                    modelPrices));
            }

            return new ModelCatalogData(asOf, models);
        }

        private static ModelCatalogData LoadShipped()
        {
            using Stream? stream = typeof(ModelCatalogData).Assembly.GetManifestResourceStream(ResourceName);
            if (stream is null)
            {
                throw new InvalidOperationException("The QwenPS DLL has no " + ResourceName + " resource: the build is broken.");
            }

            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd());
        }

        /// <summary>"qwen-plus-2025-07-14" → "qwen-plus"; "qwq-plus-0305"-style four-digit dates too; else null.</summary>
        private static string? SnapshotBaseName(string name)
        {
            int dash = name.LastIndexOf('-');
            if (dash <= 0)
            {
                return null;
            }

            // yyyy-mm-dd: three numeric segments at the end.
            string[] parts = name.Split('-');
            if (parts.Length > 3 && IsDigits(parts[parts.Length - 1], 2) && IsDigits(parts[parts.Length - 2], 2) && IsDigits(parts[parts.Length - 3], 4))
            {
                return string.Join("-", parts, 0, parts.Length - 3);
            }

            string last = name.Substring(dash + 1);
            return IsDigits(last, 4) ? name.Substring(0, dash) : null;
        }

        private static bool IsDigits(string text, int length)
        {
            if (text.Length != length)
            {
                return false;
            }

            foreach (char c in text)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private static IReadOnlyDictionary<QwenRegion, RegionPrices> ParsePrices(JsonElement prices, string model)
        {
            var result = new Dictionary<QwenRegion, RegionPrices>();
            foreach (JsonProperty region in prices.EnumerateObject())
            {
                var tiers = new List<PriceTier>();
                foreach (JsonElement tier in region.Value.GetProperty("tiers").EnumerateArray())
                {
                    tiers.Add(new PriceTier(
                        OptionalLong(tier, "upTo"),
                        tier.GetProperty("input").GetDecimal(),
                        tier.GetProperty("output").GetDecimal(),
                        OptionalDecimal(tier, "thinkingOutput"),
                        OptionalDecimal(tier, "audioInput"),
                        OptionalDecimal(tier, "imageInput"),
                        OptionalDecimal(tier, "multimodalOutput"),
                        OptionalDecimal(tier, "audioOutput")));
                }

                if (tiers.Count == 0)
                {
                    throw new InvalidDataException("Model " + model + " has no price tiers for " + region.Name + ".");
                }

                result[ParseEnum<QwenRegion>(region.Name, model)] = new RegionPrices(RequiredString(region.Value, "currency", model), tiers);
            }

            return result;
        }

        private static IReadOnlyList<QwenRegion> ParseRegions(JsonElement model, string name)
        {
            var regions = new List<QwenRegion>();
            foreach (string region in ParseStrings(model, "regions"))
            {
                regions.Add(ParseEnum<QwenRegion>(region, name));
            }

            return regions;
        }

        private static IReadOnlyList<string> ParseStrings(JsonElement element, string property)
        {
            var values = new List<string>();
            if (element.TryGetProperty(property, out JsonElement array))
            {
                foreach (JsonElement item in array.EnumerateArray())
                {
                    values.Add(item.GetString() ?? string.Empty);
                }
            }

            return values;
        }

        private static T ParseEnum<T>(string value, string model)
            where T : struct
            => Enum.TryParse(value, ignoreCase: false, out T parsed)
                ? parsed
                : throw new InvalidDataException(string.Format(CultureInfo.InvariantCulture, "Model {0}: '{1}' is not a {2}.", model, value, typeof(T).Name));

        private static string RequiredString(JsonElement element, string property, string owner)
            => element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw new InvalidDataException(owner + " has no string '" + property + "'.");

        private static long? OptionalLong(JsonElement element, string property)
            => element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : (long?)null;

        private static decimal? OptionalDecimal(JsonElement element, string property)
            => element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : (decimal?)null;

        private static bool OptionalBool(JsonElement element, string property)
            => element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.True;
    }
}
