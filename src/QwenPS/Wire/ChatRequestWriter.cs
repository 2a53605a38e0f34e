using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenPS.Wire
{
    /// <summary>
    /// Writes the <c>/chat/completions</c> body (reference §2). Non-OpenAI fields (enable_thinking, top_k...)
    /// go at the top level, as DashScope wants for raw HTTP. CJK text is written as UTF-8, not \u escapes.
    /// Assistant messages carry content (and tool calls) only: reasoning is never sent back.
    /// </summary>
    internal static class ChatRequestWriter
    {
        internal static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = false,
        };

        public static byte[] Write(ChatRequest request)
        {
            using (var buffer = new MemoryStream(1024))
            {
                using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                {
                    Write(writer, request);
                }

                return buffer.ToArray();
            }
        }

        private static void Write(Utf8JsonWriter writer, ChatRequest request)
        {
            IReadOnlyDictionary<string, object?> extra = request.AdditionalParameters ?? EmptyExtra;
            writer.WriteStartObject();
            writer.WriteString("model", request.Model);
            writer.WritePropertyName("messages");
            writer.WriteStartArray();
            foreach (QwenMessage message in request.Messages)
            {
                WriteMessage(writer, message);
            }

            writer.WriteEndArray();

            if (request.Stream)
            {
                writer.WriteBoolean("stream", true);
                if (!extra.ContainsKey("stream_options"))
                {
                    // Usage arrives only in a final chunk, and only when asked for (reference §3.2).
                    writer.WritePropertyName("stream_options");
                    writer.WriteStartObject();
                    writer.WriteBoolean("include_usage", true);
                    writer.WriteEndObject();
                }
            }

            WriteIf(writer, extra, "enable_thinking", request.EnableThinking);
            WriteIf(writer, extra, "thinking_budget", request.ThinkingBudget);
            WriteIf(writer, extra, "temperature", request.Temperature);
            WriteIf(writer, extra, "top_p", request.TopP);
            WriteIf(writer, extra, "top_k", request.TopK);
            WriteIf(writer, extra, "max_tokens", request.MaxTokens);
            WriteIf(writer, extra, "seed", request.Seed);
            WriteIf(writer, extra, "presence_penalty", request.PresencePenalty);
            if (request.Stop != null && request.Stop.Count > 0 && !extra.ContainsKey("stop"))
            {
                writer.WritePropertyName("stop");
                if (request.Stop.Count == 1)
                {
                    writer.WriteStringValue(request.Stop[0]);
                }
                else
                {
                    writer.WriteStartArray();
                    foreach (string stop in request.Stop)
                    {
                        writer.WriteStringValue(stop);
                    }

                    writer.WriteEndArray();
                }
            }

            foreach (KeyValuePair<string, object?> pair in extra)
            {
                if (pair.Key == "model" || pair.Key == "messages" || (pair.Key == "stream" && request.Stream))
                {
                    continue;
                }

                writer.WritePropertyName(pair.Key);
                JsonValueWriter.Write(writer, pair.Value, pair.Key);
            }

            writer.WriteEndObject();
        }

        private static readonly IReadOnlyDictionary<string, object?> EmptyExtra = new Dictionary<string, object?>();

        internal static void WriteMessage(Utf8JsonWriter writer, QwenMessage message)
        {
            writer.WriteStartObject();
            writer.WriteString("role", RoleName(message.Role));
            if (message.Content == null)
            {
                writer.WriteNull("content");
            }
            else
            {
                writer.WriteString("content", message.Content);
            }

            if (message.ToolCallId != null)
            {
                writer.WriteString("tool_call_id", message.ToolCallId);
            }

            if (message.ToolCalls.Count > 0)
            {
                writer.WritePropertyName("tool_calls");
                writer.WriteStartArray();
                foreach (QwenToolCall call in message.ToolCalls)
                {
                    writer.WriteStartObject();
                    if (call.Id != null)
                    {
                        writer.WriteString("id", call.Id);
                    }

                    writer.WriteString("type", call.Type);
                    writer.WriteNumber("index", call.Index);
                    writer.WritePropertyName("function");
                    writer.WriteStartObject();
                    writer.WriteString("name", call.Name);
                    writer.WriteString("arguments", call.Arguments);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        public static string RoleName(QwenRole role)
        {
            switch (role)
            {
                case QwenRole.System:
                    return "system";
                case QwenRole.User:
                    return "user";
                case QwenRole.Assistant:
                    return "assistant";
                case QwenRole.Tool:
                    return "tool";
                default:
                    throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role.");
            }
        }

        private static void WriteIf(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> extra, string name, bool? value)
        {
            if (value.HasValue && !extra.ContainsKey(name))
            {
                writer.WriteBoolean(name, value.Value);
            }
        }

        private static void WriteIf(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> extra, string name, int? value)
        {
            if (value.HasValue && !extra.ContainsKey(name))
            {
                writer.WriteNumber(name, value.Value);
            }
        }

        private static void WriteIf(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> extra, string name, double? value)
        {
            if (value.HasValue && !extra.ContainsKey(name))
            {
                writer.WriteNumber(name, value.Value);
            }
        }
    }

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
