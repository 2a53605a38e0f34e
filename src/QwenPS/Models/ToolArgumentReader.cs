using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Text.Json;

namespace QwenPS
{
    /// <summary>
    /// The arguments of a tool call: the JSON text the model wrote, read into an ordered dictionary that PowerShell
    /// can splat (keys case-insensitive like parameter names; objects as ordered dictionaries, arrays as object[],
    /// whole numbers as int or long, other numbers as double). Used by QwenToolCall.ArgumentTable and the tool loop.
    /// </summary>
    internal static class ToolArgumentReader
    {
        /// <summary>Null with <paramref name="error"/> set when the text is not a JSON object. An empty text is no arguments.</summary>
        public static OrderedDictionary? TryParse(string? json, out string? error)
        {
            error = null;
            if (string.IsNullOrWhiteSpace(json))
            {
                return NewTable();
            }

            try
            {
                using (JsonDocument document = JsonDocument.Parse(json!))
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        error = "The arguments are not a JSON object: " + document.RootElement.ValueKind.ToString().ToLowerInvariant() + ".";
                        return null;
                    }

                    return (OrderedDictionary)Convert(document.RootElement)!;
                }
            }
            catch (JsonException parseError)
            {
                error = "The arguments are not valid JSON: " + parseError.Message;
                return null;
            }
        }

        private static OrderedDictionary NewTable() => new OrderedDictionary(StringComparer.OrdinalIgnoreCase);

        private static object? Convert(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    OrderedDictionary table = NewTable();
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        table[property.Name] = Convert(property.Value);
                    }

                    return table;
                case JsonValueKind.Array:
                    var items = new List<object?>();
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        items.Add(Convert(item));
                    }

                    return items.ToArray();
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    if (element.TryGetInt32(out int small))
                    {
                        return small;
                    }

                    if (element.TryGetInt64(out long large))
                    {
                        return large;
                    }

                    return element.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }
    }
}
