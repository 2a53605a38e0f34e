using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace QwenPS.Chat.Tools
{
    /// <summary>The text of a tool message: a result capped at a length with a note saying so, or an error as JSON.</summary>
    internal static class ToolResultText
    {
        public const int DefaultMaxLength = 20000;

        /// <summary><paramref name="text"/> cut to <paramref name="maxLength"/> characters (never inside a surrogate
        /// pair), followed by a note that gives the full length, so the model knows it did not see everything.</summary>
        public static string Cap(string text, int maxLength, out bool truncated)
        {
            truncated = text.Length > maxLength;
            if (!truncated)
            {
                return text;
            }

            int cut = maxLength;
            if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
            {
                cut--;
            }

            return text.Substring(0, cut) + Note(text.Length, cut);
        }

        public static string Note(int fullLength, int keptLength) =>
            "\n[QwenPS: the result was truncated: " + keptLength.ToString(CultureInfo.InvariantCulture) + " of "
            + fullLength.ToString(CultureInfo.InvariantCulture) + " characters shown.]";

        /// <summary>{"error": message}: what the model reads when a call could not run or failed.</summary>
        public static string Error(string message) => Json(writer => writer.WriteString("error", message));

        /// <summary>{"errors": [...], "output": ...}: a command that ran but wrote errors; <paramref name="outputJson"/>
        /// is its output as JSON (null for none; a cut text is sent as a string).</summary>
        public static string Errors(IEnumerable<string> messages, string? outputJson) => Json(writer =>
        {
            writer.WritePropertyName("errors");
            writer.WriteStartArray();
            foreach (string message in messages)
            {
                writer.WriteStringValue(message);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("output");
            if (outputJson == null)
            {
                writer.WriteNullValue();
                return;
            }

            try
            {
                writer.WriteRawValue(outputJson);
            }
            catch (JsonException)
            {
                writer.WriteStringValue(outputJson);
            }
        });

        private static string Json(Action<Utf8JsonWriter> writeMembers) => ToolJson.Write(writer =>
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        });
    }
}
