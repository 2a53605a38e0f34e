using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OpenAI;
using OpenAI.Chat;
using QwenPS.Chat;
using QwenPS.Streaming;

namespace QwenPS.Benchmarks.Decode
{
    /// <summary>What a decoder got out of a stream, to check that every path did the same work.</summary>
    internal readonly record struct DecodeResult(int Records, int ReasoningChars, int ContentChars, int TotalTokens);

    /// <summary>
    /// The decoders of scenario 1, each reading the recorded bytes from a MemoryStream (no network). Every path
    /// but the lower bound produces, per text chunk, one object that holds the chunk's text as a string, and at
    /// the end the joined reasoning, the joined answer and the usage.
    /// </summary>
    internal static class DecodePaths
    {
        private static readonly IReadOnlyList<QwenMessage> NoMessages = Array.Empty<QwenMessage>();

        /// <summary>QwenPS as it ships: SseReader, ChatStreamAggregator (ChatChunkDecoder), records, Build().</summary>
        public static async Task<DecodeResult> QwenPsAsync(byte[] bytes)
        {
            int records = 0;
            Action<object> sink = _ => records++;
            using var aggregator = new ChatStreamAggregator();
            using (var stream = new MemoryStream(bytes, writable: false))
            using (var reader = new SseReader(stream))
            {
                while (await reader.ReadEventAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    if (!aggregator.Process(reader.Data, sink))
                    {
                        break;
                    }
                }
            }

            return Result(records, aggregator.Build(NoMessages, null, incomplete: false));
        }

        /// <summary>The same, with System.Net.ServerSentEvents' SseParser doing the framing instead of SseReader.</summary>
        public static async Task<DecodeResult> QwenPsOnSseParserAsync(byte[] bytes)
        {
            int records = 0;
            Action<object> sink = _ => records++;
            using var aggregator = new ChatStreamAggregator();
            using (var stream = new MemoryStream(bytes, writable: false))
            {
                // The item parser sees each event's bytes without a copy; it decodes them in place.
                SseParser<bool> parser = SseParser.Create(stream, (_, data) => aggregator.Process(data, sink));
                await foreach (SseItem<bool> item in parser.EnumerateAsync().ConfigureAwait(false))
                {
                    if (!item.Data)
                    {
                        break;
                    }
                }
            }

            return Result(records, aggregator.Build(NoMessages, null, incomplete: false));
        }

        /// <summary>
        /// What a module author would write with the framework's SSE parser: SseParser's string events,
        /// JsonDocument per event, the two delta strings and the usage read from the DOM.
        /// </summary>
        public static async Task<DecodeResult> SseParserJsonDocumentAsync(byte[] bytes)
        {
            int records = 0;
            var reasoning = new StringBuilder();
            var content = new StringBuilder();
            int totalTokens = 0;
            using (var stream = new MemoryStream(bytes, writable: false))
            {
                await foreach (SseItem<string> item in SseParser.Create(stream).EnumerateAsync().ConfigureAwait(false))
                {
                    if (item.Data == "[DONE]")
                    {
                        break;
                    }

                    using (JsonDocument document = JsonDocument.Parse(item.Data))
                    {
                        JsonElement root = document.RootElement;
                        if (root.TryGetProperty("choices", out JsonElement choices) && choices.GetArrayLength() > 0
                            && choices[0].TryGetProperty("delta", out JsonElement delta))
                        {
                            records += Append(delta, "reasoning_content", reasoning) + Append(delta, "content", content);
                        }

                        if (root.TryGetProperty("usage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object)
                        {
                            totalTokens = usage.GetProperty("total_tokens").GetInt32();
                            records++;
                        }
                    }
                }
            }

            return new DecodeResult(records, reasoning.ToString().Length, content.ToString().Length, totalTokens);
        }

        private static int Append(JsonElement delta, string name, StringBuilder text)
        {
            if (delta.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                // One string per chunk, as a record would hold it.
                string piece = value.GetString()!;
                if (piece.Length > 0)
                {
                    text.Append(piece);
                    return 1;
                }
            }

            return 0;
        }

        /// <summary>
        /// The lower bound: no async, no SSE rules beyond "data: " lines split on LF, no objects. Utf8JsonReader
        /// walks each event and copies the two delta strings into one reused char buffer (unescaped and
        /// transcoded, so the text is really read), and reads the usage total.
        /// </summary>
        public static DecodeResult LowerBound(byte[] bytes)
        {
            char[] scratch = new char[4096];
            int records = 0;
            int reasoningChars = 0;
            int contentChars = 0;
            int totalTokens = 0;
            ReadOnlySpan<byte> rest = bytes;
            while (!rest.IsEmpty)
            {
                int end = rest.IndexOf((byte)'\n');
                ReadOnlySpan<byte> line = end < 0 ? rest : rest.Slice(0, end);
                rest = end < 0 ? ReadOnlySpan<byte>.Empty : rest.Slice(end + 1);
                if (!line.StartsWith("data: "u8))
                {
                    continue;
                }

                ReadOnlySpan<byte> json = line.Slice(6);
                if (json.SequenceEqual("[DONE]"u8))
                {
                    break;
                }

                var reader = new Utf8JsonReader(json);
                while (reader.Read())
                {
                    if (reader.TokenType != JsonTokenType.PropertyName)
                    {
                        continue;
                    }

                    bool isContent = reader.ValueTextEquals("content"u8);
                    bool isReasoning = !isContent && reader.ValueTextEquals("reasoning_content"u8);
                    bool isTotal = !isContent && !isReasoning && reader.ValueTextEquals("total_tokens"u8);
                    if (!isContent && !isReasoning && !isTotal)
                    {
                        continue;
                    }

                    reader.Read();
                    if (isTotal)
                    {
                        totalTokens = reader.GetInt32();
                        records++;
                    }
                    else if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                    {
                        int chars = reader.CopyString(scratch);
                        records++;
                        if (isContent)
                        {
                            contentChars += chars;
                        }
                        else
                        {
                            reasoningChars += chars;
                        }
                    }
                }
            }

            return new DecodeResult(records, reasoningChars, contentChars, totalTokens);
        }

        /// <summary>SSE framing alone, QwenPS's SseReader: the data bytes of every event, nothing decoded.</summary>
        public static async Task<long> SseReaderFramingAsync(byte[] bytes)
        {
            long total = 0;
            using (var stream = new MemoryStream(bytes, writable: false))
            using (var reader = new SseReader(stream))
            {
                while (await reader.ReadEventAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    total += reader.Data.Length;
                }
            }

            return total;
        }

        /// <summary>SSE framing alone, System.Net.ServerSentEvents' SseParser with a span item parser (no string per event).</summary>
        public static async Task<long> SseParserFramingAsync(byte[] bytes)
        {
            long total = 0;
            using (var stream = new MemoryStream(bytes, writable: false))
            {
                await foreach (SseItem<int> item in SseParser.Create(stream, (_, data) => data.Length).EnumerateAsync().ConfigureAwait(false))
                {
                    total += item.Data;
                }
            }

            return total;
        }

        private static DecodeResult Result(int records, QwenChatResponse response) =>
            new DecodeResult(records, response.Reasoning?.Length ?? 0, response.Content.Length, response.Usage?.TotalTokens ?? 0);
    }

    /// <summary>
    /// The OpenAI .NET SDK 2.x reading the recorded bytes through its own streaming API: ChatClient over an
    /// HttpClient whose handler answers every request with the recording as text/event-stream. The SDK frames
    /// the events (with SseParser), deserializes each into a StreamingChatCompletionUpdate (choices, delta,
    /// content parts, usage), and this code reads the content parts, the reasoning through the update's JSON
    /// patch (the SDK has no reasoning property), the finish reason and the usage.
    /// </summary>
    internal sealed class OpenAiSdkDecoder : IDisposable
    {
        private static readonly ChatMessage[] Messages = { new UserChatMessage("Hi") };
        private readonly HttpClient _http;
        private readonly ChatClient _client;
        private readonly ChatCompletionOptions _options = new ChatCompletionOptions();

        public OpenAiSdkDecoder(byte[] bytes)
        {
            _http = new HttpClient(new ReplayHandler(bytes));
            _client = new ChatClient(
                RecordedStream.Model,
                new ApiKeyCredential("sk-bench"),
                new OpenAIClientOptions { Endpoint = new Uri("http://replay.invalid/v1"), Transport = new HttpClientPipelineTransport(_http) });
        }

        public async Task<DecodeResult> DecodeAsync()
        {
            int records = 0;
            var reasoning = new StringBuilder();
            var content = new StringBuilder();
            int totalTokens = 0;
            ChatFinishReason? finish = null;
            await foreach (StreamingChatCompletionUpdate update in _client.CompleteChatStreamingAsync(Messages, _options).ConfigureAwait(false))
            {
                if (update.Patch.TryGetValue("$.choices[0].delta.reasoning_content"u8, out string? thought) && !string.IsNullOrEmpty(thought))
                {
                    reasoning.Append(thought);
                    records++;
                }

                foreach (ChatMessageContentPart part in update.ContentUpdate)
                {
                    if (!string.IsNullOrEmpty(part.Text))
                    {
                        content.Append(part.Text);
                        records++;
                    }
                }

                finish ??= update.FinishReason;
                if (update.Usage != null)
                {
                    totalTokens = update.Usage.TotalTokenCount;
                    records++;
                }
            }

            return new DecodeResult(records, reasoning.ToString().Length, content.ToString().Length, totalTokens);
        }

        public void Dispose() => _http.Dispose();

        private sealed class ReplayHandler : HttpMessageHandler
        {
            private readonly byte[] _bytes;

            public ReplayHandler(byte[] bytes)
            {
                _bytes = bytes;
            }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var content = new StreamContent(new MemoryStream(_bytes, writable: false));
                content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
            }
        }
    }
}
