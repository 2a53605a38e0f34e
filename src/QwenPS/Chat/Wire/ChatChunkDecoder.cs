using System;
using System.Text.Json;
using QwenPS.Errors;

namespace QwenPS.Chat.Wire
{
    /// <summary>
    /// Decodes the JSON of one stream chunk with <see cref="Utf8JsonReader"/>: key order does not matter,
    /// unknown fields are skipped, <c>null</c> and empty deltas are tolerated (docs/dashscope-notes.md, "Streaming"). Only the
    /// first choice is read (QwenPS never asks for n &gt; 1 when streaming). Invalid JSON throws JsonException.
    /// </summary>
    internal static class ChatChunkDecoder
    {
        private static readonly JsonReaderOptions Options = new JsonReaderOptions { MaxDepth = 64 };

        /// <param name="json">The SSE data payload.</param>
        /// <param name="chunk">Reset and filled.</param>
        /// <param name="readHeader">Whether id, model and created are still wanted (only from the first chunk).</param>
        public static void Decode(ReadOnlySpan<byte> json, ChatChunk chunk, bool readHeader)
        {
            try
            {
                DecodeCore(json, chunk, readHeader);
            }
            catch (InvalidOperationException ex)
            {
                // Utf8JsonReader validates string contents only when they are read: invalid UTF-8, or an escaped lone
                // surrogate ("\ud800"), surfaces as InvalidOperationException from GetString. It is bad JSON all the same.
                throw new JsonException("The stream chunk has a string that is not valid text: " + ex.Message, ex);
            }
        }

        private static void DecodeCore(ReadOnlySpan<byte> json, ChatChunk chunk, bool readHeader)
        {
            chunk.Reset();
            var reader = new Utf8JsonReader(json, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("The stream chunk is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    ReadChoices(ref reader, chunk);
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    ReadUsage(ref reader, chunk);
                }
                else if (readHeader && reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    chunk.Id = ReadString(ref reader);
                }
                else if (readHeader && reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    chunk.Model = ReadString(ref reader);
                }
                else if (readHeader && reader.ValueTextEquals("created"u8))
                {
                    reader.Read();
                    chunk.Created = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long created) ? created : (long?)null;
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    ReadError(ref reader, chunk);
                }
                else if (reader.ValueTextEquals("request_id"u8))
                {
                    reader.Read();
                    chunk.RequestId = ReadString(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (chunk.Error != null && chunk.Error.RequestId == null)
            {
                chunk.Error.RequestId = chunk.RequestId;
            }
        }

        private static void ReadChoices(ref Utf8JsonReader reader, ChatChunk chunk)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return;
            }

            bool first = true;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (first && reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadChoice(ref reader, chunk);
                    first = false;
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        private static void ReadChoice(ref Utf8JsonReader reader, ChatChunk chunk)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    ReadDelta(ref reader, chunk);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    chunk.FinishReason = ReadFinishReason(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        private static void ReadDelta(ref Utf8JsonReader reader, ChatChunk chunk)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    chunk.Content = ReadText(ref reader);
                }
                else if (reader.ValueTextEquals("reasoning_content"u8))
                {
                    reader.Read();
                    chunk.Reasoning = ReadText(ref reader);
                }
                else if (reader.ValueTextEquals("tool_calls"u8))
                {
                    reader.Read();
                    ReadToolCalls(ref reader, chunk);
                }
                else if (reader.ValueTextEquals("audio"u8))
                {
                    reader.Read();
                    ReadAudio(ref reader, chunk);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        /// <summary><c>delta.audio</c> of Qwen-Omni: <c>{"data","expires_at","id"}</c> and, from older models, <c>{"transcript"}</c>.</summary>
        private static void ReadAudio(ref Utf8JsonReader reader, ChatChunk chunk)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    chunk.AudioData = ReadText(ref reader);
                }
                else if (reader.ValueTextEquals("transcript"u8))
                {
                    reader.Read();
                    chunk.AudioTranscript = ReadText(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        private static void ReadToolCalls(ref Utf8JsonReader reader, ChatChunk chunk)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                var fragment = new ToolCallFragment();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("index"u8))
                    {
                        reader.Read();
                        fragment.Index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int index) ? index : 0;
                    }
                    else if (reader.ValueTextEquals("id"u8))
                    {
                        reader.Read();
                        fragment.Id = ReadText(ref reader);
                    }
                    else if (reader.ValueTextEquals("function"u8))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            reader.Skip();
                            continue;
                        }

                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("name"u8))
                            {
                                reader.Read();
                                fragment.Name = ReadText(ref reader);
                            }
                            else if (reader.ValueTextEquals("arguments"u8))
                            {
                                reader.Read();
                                fragment.Arguments = ReadText(ref reader);
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                chunk.ToolCalls.Add(fragment);
            }
        }

        private static void ReadUsage(ref Utf8JsonReader reader, ChatChunk chunk)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return;
            }

            chunk.HasUsage = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("prompt_tokens"u8))
                {
                    reader.Read();
                    chunk.PromptTokens = ReadInt(ref reader) ?? 0;
                }
                else if (reader.ValueTextEquals("completion_tokens"u8))
                {
                    reader.Read();
                    chunk.CompletionTokens = ReadInt(ref reader) ?? 0;
                }
                else if (reader.ValueTextEquals("total_tokens"u8))
                {
                    reader.Read();
                    chunk.TotalTokens = ReadInt(ref reader) ?? 0;
                }
                else if (reader.ValueTextEquals("prompt_tokens_details"u8))
                {
                    reader.Read();
                    chunk.CachedTokens = ReadDetails(ref reader, "cached_tokens"u8, chunk.ModalityTokens, 0, chunk);
                }
                else if (reader.ValueTextEquals("completion_tokens_details"u8))
                {
                    reader.Read();
                    chunk.ReasoningTokens = ReadDetails(ref reader, "reasoning_tokens"u8, chunk.ModalityTokens, 4);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        /// <summary>The integer <paramref name="name"/> of the object the reader is at (the rest skipped), or null.</summary>
        private static int? ReadNestedInt(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return null;
            }

            int? value = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(name))
                {
                    reader.Read();
                    value = ReadInt(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            return value;
        }

        /// <summary>
        /// The context-cache fields of the prompt details (docs/dashscope-notes.md, "Context cache"):
        /// cache_creation_input_tokens (else cache_creation.ephemeral_5m_input_tokens) and cache_type. Returns
        /// false, having read nothing, for any other property.
        /// </summary>
        private static bool TryReadCacheField(ref Utf8JsonReader reader, ChatChunk chunk)
        {
            if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                reader.Read();
                chunk.CacheCreationTokens = ReadInt(ref reader) ?? chunk.CacheCreationTokens;
                return true;
            }

            if (reader.ValueTextEquals("cache_creation"u8))
            {
                // Always read the nested object, even when the flat count came first, so the reader stays in step.
                reader.Read();
                int? nested = ReadNestedInt(ref reader, "ephemeral_5m_input_tokens"u8);
                chunk.CacheCreationTokens ??= nested;
                return true;
            }

            if (reader.ValueTextEquals("cache_type"u8))
            {
                reader.Read();
                chunk.CacheType = ReadScalarAsString(ref reader);
                return true;
            }

            return false;
        }

        /// <summary>
        /// A usage details object: returns <paramref name="name"/>'s value, and puts the modality counts
        /// (text_tokens, image_tokens, audio_tokens, video_tokens) into <paramref name="modalities"/> from
        /// <paramref name="first"/>: prompt details fill 0–3, completion details (text, audio) 4–5. With <paramref name="cache"/>,
        /// the context-cache fields go there too (<see cref="TryReadCacheField"/>).
        /// </summary>
        private static int? ReadDetails(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, int?[] modalities, int first, ChatChunk? cache = null)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return null;
            }

            int? value = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (cache != null && TryReadCacheField(ref reader, cache))
                {
                    continue;
                }

                int slot = reader.ValueTextEquals("text_tokens"u8) ? 0
                    : reader.ValueTextEquals("audio_tokens"u8) ? (first == 0 ? 2 : 1)
                    : first == 0 && reader.ValueTextEquals("image_tokens"u8) ? 1
                    : first == 0 && reader.ValueTextEquals("video_tokens"u8) ? 3
                    : -1;
                if (reader.ValueTextEquals(name))
                {
                    reader.Read();
                    value = ReadInt(ref reader);
                }
                else if (slot >= 0)
                {
                    reader.Read();
                    modalities[first + slot] = ReadInt(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            return value;
        }

        private static void ReadError(ref Utf8JsonReader reader, ChatChunk chunk)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return;
            }

            var error = new ServiceError();
            if (reader.TokenType == JsonTokenType.String)
            {
                error.Message = reader.GetString();
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("code"u8))
                    {
                        reader.Read();
                        error.Code = ReadScalarAsString(ref reader);
                    }
                    else if (reader.ValueTextEquals("message"u8))
                    {
                        reader.Read();
                        error.Message = ReadScalarAsString(ref reader);
                    }
                    else if (reader.ValueTextEquals("type"u8))
                    {
                        reader.Read();
                        error.Type = ReadScalarAsString(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }

            chunk.Error = error;
        }

        private static string? ReadFinishReason(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                return null;
            }

            // The common values are interned so a stream does not allocate them per chunk.
            if (reader.ValueTextEquals("stop"u8))
            {
                return "stop";
            }

            if (reader.ValueTextEquals("length"u8))
            {
                return "length";
            }

            if (reader.ValueTextEquals("tool_calls"u8))
            {
                return "tool_calls";
            }

            return reader.GetString();
        }

        /// <summary>A text delta: null and "" both mean "nothing this time".</summary>
        private static string? ReadText(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return reader.ValueSpan.Length == 0 ? null : reader.GetString();
            }

            reader.Skip();
            return null;
        }

        private static string? ReadString(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString();
            }

            reader.Skip();
            return null;
        }

        private static string? ReadScalarAsString(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    return reader.TryGetInt64(out long number)
                        ? number.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : reader.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture);
                case JsonTokenType.True:
                    return "true";
                case JsonTokenType.False:
                    return "false";
                default:
                    reader.Skip();
                    return null;
            }
        }

        private static int? ReadInt(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value))
            {
                return value;
            }

            reader.Skip();
            return null;
        }
    }
}
