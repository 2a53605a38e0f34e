using System;
using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace QwenPS.Transport
{
    /// <summary>
    /// Writes a plain .NET value (what a PowerShell hashtable holds once unwrapped) as JSON: dictionaries as
    /// objects, other enumerables as arrays, numbers, booleans, strings, enums as their names, dates as ISO 8601.
    /// </summary>
    internal static class JsonValueWriter
    {
        private const int MaxDepth = 32;

        public static void Write(Utf8JsonWriter writer, object? value, string path, int depth = 0)
        {
            if (depth > MaxDepth)
            {
                throw Invalid(path, "is nested more than " + MaxDepth + " levels deep");
            }

            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    return;
                case string text:
                    writer.WriteStringValue(text);
                    return;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    return;
                case char character:
                    writer.WriteStringValue(character.ToString());
                    return;
                case int number:
                    writer.WriteNumberValue(number);
                    return;
                case long number:
                    writer.WriteNumberValue(number);
                    return;
                case short number:
                    writer.WriteNumberValue(number);
                    return;
                case byte number:
                    writer.WriteNumberValue(number);
                    return;
                case sbyte number:
                    writer.WriteNumberValue(number);
                    return;
                case ushort number:
                    writer.WriteNumberValue(number);
                    return;
                case uint number:
                    writer.WriteNumberValue(number);
                    return;
                case ulong number:
                    writer.WriteNumberValue(number);
                    return;
                case decimal number:
                    writer.WriteNumberValue(number);
                    return;
                case float number:
                    WriteFinite(writer, number, path);
                    return;
                case double number:
                    WriteFinite(writer, number, path);
                    return;
                case DateTime date:
                    writer.WriteStringValue(date.ToString("o", CultureInfo.InvariantCulture));
                    return;
                case DateTimeOffset date:
                    writer.WriteStringValue(date.ToString("o", CultureInfo.InvariantCulture));
                    return;
                case Guid guid:
                    writer.WriteStringValue(guid.ToString());
                    return;
                case Uri uri:
                    writer.WriteStringValue(uri.OriginalString);
                    return;
                case Enum enumValue:
                    writer.WriteStringValue(enumValue.ToString());
                    return;
                case JsonElement element:
                    element.WriteTo(writer);
                    return;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                        writer.WritePropertyName(key);
                        Write(writer, entry.Value, path + "." + key, depth + 1);
                    }

                    writer.WriteEndObject();
                    return;
                case IEnumerable sequence:
                    writer.WriteStartArray();
                    int index = 0;
                    foreach (object? item in sequence)
                    {
                        Write(writer, item, path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]", depth + 1);
                        index++;
                    }

                    writer.WriteEndArray();
                    return;
                default:
                    writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    return;
            }
        }

        private static void WriteFinite(Utf8JsonWriter writer, double number, string path)
        {
            if (double.IsNaN(number) || double.IsInfinity(number))
            {
                throw Invalid(path, "is not a finite number");
            }

            writer.WriteNumberValue(number);
        }

        private static QwenException Invalid(string path, string problem) =>
            new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "The additional parameter '" + path + "' " + problem + ".") { Target = path };
    }
}
