using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using QwenPS.Transport;

namespace QwenPS.Chat.Wire
{
    /// <summary>
    /// Writes the <c>/chat/completions</c> body with a Utf8JsonWriter (no reflection): the model, the messages
    /// (text as a string, content parts as an array), stream options, then every <see cref="ChatFields"/> row the
    /// request holds, then the additional parameters (docs/dashscope-notes.md, "Chat request body"). CJK text is
    /// written as UTF-8, not \u escapes. Assistant messages carry content (and tool calls) only: reasoning is never sent back.
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
                    WriteBody(writer, request);
                }

                return buffer.ToArray();
            }
        }

        /// <summary>The body object, into a writer that may hold more (a batch line wraps it).</summary>
        internal static void WriteBody(Utf8JsonWriter writer, ChatRequest request)
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
                    // Usage arrives only in a final chunk, and only when asked for (docs/dashscope-notes.md, "Streaming").
                    writer.WritePropertyName("stream_options");
                    writer.WriteStartObject();
                    writer.WriteBoolean("include_usage", true);
                    writer.WriteEndObject();
                }
            }

            foreach (ChatField field in ChatFields.All)
            {
                object? value = request[field];
                if (value != null && !extra.ContainsKey(field.WireName))
                {
                    field.Write(writer, value);
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
            writer.WriteString("role", RoleName(message.RoleValue));
            if (message.Parts.Count > 0)
            {
                writer.WritePropertyName("content");
                writer.WriteStartArray();
                foreach (QwenContentPart part in message.Parts)
                {
                    WritePart(writer, part);
                }

                writer.WriteEndArray();
            }
            else if (message.Content == null)
            {
                writer.WriteNull("content");
            }
            else
            {
                // Text alone goes as a plain string, never as one text part: some models reason only then.
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

            if (message.Partial)
            {
                writer.WriteBoolean("partial", true);
            }

            writer.WriteEndObject();
        }

        /// <summary>One content part in the OpenAI part-array shape (docs/dashscope-notes.md, "Content parts").</summary>
        internal static void WritePart(Utf8JsonWriter writer, QwenContentPart part)
        {
            writer.WriteStartObject();
            switch (part.KindValue)
            {
                case QwenContentPartKind.Text:
                    writer.WriteString("type", "text");
                    writer.WriteString("text", part.Text);
                    break;
                case QwenContentPartKind.Image:
                    WriteMedia(writer, "image_url", "url", part.Url, null);
                    break;
                case QwenContentPartKind.Audio:
                    WriteMedia(writer, "input_audio", "data", part.Url, part.Format);
                    break;
                case QwenContentPartKind.Video:
                    WriteMedia(writer, "video_url", "url", part.Url, null);
                    break;
                case QwenContentPartKind.VideoFrames:
                    writer.WriteString("type", "video");
                    writer.WritePropertyName("video");
                    writer.WriteStartArray();
                    foreach (string frame in part.Frames)
                    {
                        writer.WriteStringValue(frame);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(part), part.Kind, "Unknown content part.");
            }

            if (part.CacheControl != null)
            {
                writer.WritePropertyName("cache_control");
                writer.WriteStartObject();
                writer.WriteString("type", part.CacheControl);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        /// <summary><c>"type": type, type: {urlName: url[, "format": format]}</c>: the shape of every media part given by URL.</summary>
        private static void WriteMedia(Utf8JsonWriter writer, string type, string urlName, string? url, string? format)
        {
            writer.WriteString("type", type);
            writer.WritePropertyName(type);
            writer.WriteStartObject();
            writer.WriteString(urlName, url);
            if (format != null)
            {
                writer.WriteString("format", format);
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
    }
}
