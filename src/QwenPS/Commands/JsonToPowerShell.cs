using System.Collections.Generic;
using System.Management.Automation;
using System.Text.Json;

namespace QwenPS.Commands
{
    /// <summary>
    /// A parsed JSON answer as the objects ConvertFrom-Json gives: objects become [pscustomobject] with the
    /// properties in document order, arrays object[], integers Int64 (Double beyond its range), other numbers
    /// Double, strings stay strings (no date guessing), true/false Boolean, null $null. A duplicate key keeps
    /// its last value.
    /// </summary>
    internal static class JsonToPowerShell
    {
        public static object? Convert(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    var result = new PSObject();
                    foreach (JsonProperty property in value.EnumerateObject())
                    {
                        result.Properties.Remove(property.Name);
                        result.Properties.Add(new PSNoteProperty(property.Name, Convert(property.Value)));
                    }

                    return result;
                case JsonValueKind.Array:
                    var items = new List<object?>();
                    foreach (JsonElement item in value.EnumerateArray())
                    {
                        items.Add(Convert(item));
                    }

                    return items.ToArray();
                case JsonValueKind.String:
                    return value.GetString();
                case JsonValueKind.Number:
                    return value.TryGetInt64(out long whole) ? whole : (object)value.GetDouble();
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
