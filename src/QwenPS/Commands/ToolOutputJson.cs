using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace QwenPS.Commands
{
    /// <summary>
    /// What a tool wrote, as JSON for the model, the way ConvertTo-Json -Depth 4 -EnumsAsStrings would write it
    /// (on Windows PowerShell 5.1 too, which lacks -EnumsAsStrings): one object as itself, several as an array,
    /// properties through PowerShell's view of the object (adapted and extended members), anything nested deeper
    /// than <see cref="MaxDepth"/> as its string. Writing stops once the text is well past the length cap, so a
    /// huge object graph costs no more than the cap.
    /// </summary>
    internal static class ToolOutputJson
    {
        public const int MaxDepth = 4;

        /// <summary>The JSON text; null when there was no output.</summary>
        public static string? Write(IList<PSObject> output, int maxLength)
        {
            if (output.Count == 0)
            {
                return null;
            }

            using (var buffer = new MemoryStream())
            {
                var writer = new Utf8JsonWriter(buffer, QwenPS.Chat.Tools.ToolJson.WriterOptions);
                var budget = new Budget(writer, (maxLength * 3L) + 1024);
                try
                {
                    if (output.Count == 1)
                    {
                        WriteValue(writer, output[0], 0, budget);
                    }
                    else
                    {
                        writer.WriteStartArray();
                        foreach (PSObject item in output)
                        {
                            WriteValue(writer, item, 1, budget);
                        }

                        writer.WriteEndArray();
                    }
                }
                catch (BudgetSpentException)
                {
                    // Enough text for the cap: the caller cuts it and says so.
                }

                writer.Flush();
                writer.Dispose();
                return Encoding.UTF8.GetString(buffer.ToArray());
            }
        }

        private static void WriteValue(Utf8JsonWriter writer, object? value, int depth, Budget budget)
        {
            budget.Check();
            if (value is PSObject wrapped)
            {
                value = wrapped.BaseObject is PSCustomObject ? wrapped : wrapped.BaseObject;
            }

            if (WriteScalar(writer, value))
            {
                return;
            }

            if (depth >= MaxDepth)
            {
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
            }

            switch (value)
            {
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                        WriteValue(writer, entry.Value, depth + 1, budget);
                    }

                    writer.WriteEndObject();
                    return;
                case IEnumerable sequence:
                    writer.WriteStartArray();
                    foreach (object? item in sequence)
                    {
                        WriteValue(writer, item, depth + 1, budget);
                    }

                    writer.WriteEndArray();
                    return;
            }

            writer.WriteStartObject();
            foreach (PSPropertyInfo property in PSObject.AsPSObject(value!).Properties)
            {
                if (!property.IsGettable)
                {
                    continue;
                }

                object? propertyValue;
                try
                {
                    propertyValue = property.Value;
                }
                catch (Exception)
                {
                    // Some getters throw (a process that has exited, an unsupported platform): leave them out, as
                    // ConvertTo-Json does not fail the whole object for one of them.
                    continue;
                }

                writer.WritePropertyName(property.Name);
                WriteValue(writer, propertyValue, depth + 1, budget);
            }

            writer.WriteEndObject();
        }

        private static bool WriteScalar(Utf8JsonWriter writer, object? value)
        {
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    return true;
                case string text:
                    writer.WriteStringValue(text);
                    return true;
                case char character:
                    writer.WriteStringValue(character.ToString());
                    return true;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    return true;
                case Enum enumValue:
                    writer.WriteStringValue(enumValue.ToString());
                    return true;
                case DateTime date:
                    writer.WriteStringValue(date.ToString("o", CultureInfo.InvariantCulture));
                    return true;
                case DateTimeOffset date:
                    writer.WriteStringValue(date.ToString("o", CultureInfo.InvariantCulture));
                    return true;
                case double number when double.IsNaN(number) || double.IsInfinity(number):
                    writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                    return true;
                case float number when float.IsNaN(number) || float.IsInfinity(number):
                    writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                    return true;
                case SwitchParameter switchValue:
                    writer.WriteBooleanValue(switchValue.IsPresent);
                    return true;
                case Guid _:
                case Uri _:
                case TimeSpan _:
                case Version _:
                case ScriptBlock _:
                    writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    return true;
            }

            string kind = QwenPS.Chat.Tools.ToolSchemaWriter.KindOf(value.GetType());
            if (kind == "integer" || kind == "number")
            {
                writer.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!.Replace("E+", "E"), skipInputValidation: false);
                return true;
            }

            return false;
        }

        private sealed class Budget
        {
            private readonly Utf8JsonWriter _writer;
            private readonly long _bytes;

            public Budget(Utf8JsonWriter writer, long bytes)
            {
                _writer = writer;
                _bytes = bytes;
            }

            public void Check()
            {
                if (_writer.BytesCommitted + _writer.BytesPending > _bytes)
                {
                    throw new BudgetSpentException();
                }
            }
        }

        private sealed class BudgetSpentException : Exception
        {
        }
    }
}
