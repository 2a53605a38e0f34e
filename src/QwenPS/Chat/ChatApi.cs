using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Catalog;
using QwenPS.Chat.Wire;
using QwenPS.Errors;
using QwenPS.Omni;
using QwenPS.Streaming;
using QwenPS.Transport;

namespace QwenPS.Chat
{
    /// <summary>
    /// The <c>/chat/completions</c> endpoint: writes the request (<see cref="ChatRequestWriter"/>), sends it through
    /// the transport, and reads either a whole completion or an SSE stream (<see cref="ChatStreamAggregator"/>).
    /// It owns the chat wire parsing; retries, timeouts, error bodies and redaction are the transport's.
    /// </summary>
    internal sealed class ChatApi
    {
        private const int DebugBodyChars = 4000;
        private const string NotACompletion = "The service returned JSON that is not a chat completion";

        /// <summary>-MaxResponseSize's default (see <see cref="ChatRun.DefaultMaxResponseChars"/>).</summary>
        internal const int DefaultMaxResponseChars = ChatRun.DefaultMaxResponseChars;

        private readonly QwenTransport _transport;

        public ChatApi(QwenTransport transport)
        {
            _transport = transport;
        }

        /// <summary>What the last call had received when it was stopped or failed (marked incomplete).</summary>
        public QwenChatResponse? LastPartialResponse { get; private set; }

        /// <summary>
        /// Sends one chat call. When streaming, each reasoning and content chunk, then the usage, is passed to
        /// <paramref name="onRecord"/> as soon as it is decoded. Returns the aggregated response. A stream
        /// that breaks throws a <see cref="QwenException"/> whose <see cref="QwenException.PartialResponse"/>
        /// holds what arrived; a stop (cancellation) leaves it in <see cref="LastPartialResponse"/>.
        /// </summary>
        public Task<QwenChatResponse> ChatAsync(ChatRequest request, Action<object>? onRecord, CancellationToken cancellationToken) =>
            ChatAsync(request, onRecord, DefaultMaxResponseChars, cancellationToken);

        /// <summary>The same, keeping at most <paramref name="maxResponseChars"/> characters of a streamed answer (-MaxResponseSize).</summary>
        public async Task<QwenChatResponse> ChatAsync(ChatRequest request, Action<object>? onRecord, int maxResponseChars, CancellationToken cancellationToken)
        {
            byte[] body = ChatRequestWriter.Write(request);
            Uri uri = _transport.Endpoint("/chat/completions");
            _transport.Verbose(string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                "Chat with {0}: {1} message(s), {2} bytes, {3}.",
                request.Model,
                request.Messages.Count,
                body.Length,
                request.Stream ? "streamed" : "not streamed"));
            _transport.Debug("Request body: " + Truncate(Encoding.UTF8.GetString(body), DebugBodyChars));

            HttpRequestMessage Create()
            {
                var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(request.Stream ? "text/event-stream" : "application/json"));
                return message;
            }

            using (HttpResponseMessage response = await _transport.SendAsync(Create, request.Model, cancellationToken).ConfigureAwait(false))
            {
                string? requestId = _transport.RequestIdOf(response);
                string? mediaType = response.Content.Headers.ContentType?.MediaType;
                if (IsMediaType(mediaType, "text/html"))
                {
                    throw await _transport.UnexpectedBodyAsync(response, request.Model, "an HTML page (a proxy or login page?)", cancellationToken).ConfigureAwait(false);
                }

                if (IsMediaType(mediaType, "application/json") || (!request.Stream && mediaType == null))
                {
                    byte[] json = await _transport.ReadBodyAsync(response, QwenTransport.MaxJsonBodyBytes, request.Model, cancellationToken).ConfigureAwait(false);
                    QwenChatResponse completed = ParseCompletion(json, request, requestId);
                    UsagePricing.Price(completed.Usage, completed.Model ?? request.Model, _transport.Settings.Region);
                    if (request.Stream)
                    {
                        // Asked for a stream, got a whole answer: still hand out the records in order.
                        EmitWholeResponse(completed, onRecord);
                    }

                    return completed;
                }

                if (!request.Stream && !IsMediaType(mediaType, "text/event-stream"))
                {
                    throw await _transport.UnexpectedBodyAsync(response, request.Model, "content type '" + mediaType + "'", cancellationToken).ConfigureAwait(false);
                }

                return await ReadStreamAsync(response, request, requestId, onRecord, maxResponseChars, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<QwenChatResponse> ReadStreamAsync(HttpResponseMessage response, ChatRequest request, string? requestId, Action<object>? onRecord, int maxResponseChars, CancellationToken cancellationToken)
        {
            AudioAnswerFile? audio = request.AudioPath == null ? null : OpenAudio(request.AudioPath, request.Model);
            using (audio)
            using (var aggregator = new ChatStreamAggregator(audio) { MaxChars = maxResponseChars })
            using (Stream body = await _transport.OpenBodyAsync(response, cancellationToken).ConfigureAwait(false))
            using (var reader = new SseReader(body))
            {
                QwenException? failure = null;
                aggregator.PriceUsage = usage => UsagePricing.Price(usage, aggregator.Model ?? request.Model, _transport.Settings.Region);
                try
                {
                    while (await reader.ReadEventAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (!aggregator.Process(reader.Data, onRecord))
                        {
                            break;
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    LastPartialResponse = aggregator.Build(request.Messages, requestId, incomplete: true);
                    throw;
                }
                catch (ReadTimeoutException ex) when (aggregator.FinishReason == null)
                {
                    failure = _transport.ReadTimeout(ex, "The stream", aggregator.ChunkCount + " chunk(s)", request.Model, null);
                }
                catch (JsonException ex)
                {
                    failure = new QwenException(
                        QwenErrorIds.MalformedStream,
                        QwenErrorCategory.ProtocolError,
                        _transport.Redact("The stream carried invalid JSON after " + aggregator.ChunkCount + " chunk(s): " + ex.Message),
                        _transport.Safe(ex));
                }
                catch (SseFormatException ex)
                {
                    failure = new QwenException(QwenErrorIds.MalformedStream, QwenErrorCategory.ProtocolError, _transport.Redact(ex.Message), _transport.Safe(ex));
                }
                catch (ResponseTooLargeException ex)
                {
                    failure = new QwenException(
                        QwenErrorIds.ResponseTooLarge,
                        QwenErrorCategory.LimitsExceeded,
                        "The answer passed " + ex.MaxChars.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " characters (-MaxResponseSize) after " + aggregator.ChunkCount +
                        " chunk(s); QwenPS stopped reading. What arrived within the limit is kept (the partial response); raise -MaxResponseSize for a longer answer.",
                        _transport.Safe(ex));
                }
                catch (FormatException ex) when (audio != null)
                {
                    failure = new QwenException(QwenErrorIds.MalformedStream, QwenErrorCategory.ProtocolError, ex.Message + " (after " + aggregator.ChunkCount + " chunk(s))", ex);
                }
                catch (IOException ex) when (audio != null && !QwenTransport.IsTransportFailure(ex))
                {
                    failure = AudioFailed(request.AudioPath!, request.Model, ex);
                }
                catch (StreamErrorException ex)
                {
                    (string id, QwenErrorCategory category, bool _) = ErrorMapper.Classify(0, ex.Error.Code, ex.Error.Message);
                    failure = new QwenException(
                        id == QwenErrorIds.HttpError ? QwenErrorIds.StreamError : id,
                        id == QwenErrorIds.HttpError ? QwenErrorCategory.InvalidResult : category,
                        _transport.Redact("The service reported an error mid-stream" + (ex.Error.Code != null ? " (" + ex.Error.Code + ")" : string.Empty) + ": " + (ex.Error.Message ?? "no message") + "."),
                        _transport.Safe(ex))
                    {
                        ServiceCode = _transport.RedactOrNull(ex.Error.Code),
                        ServiceType = _transport.RedactOrNull(ex.Error.Type),
                        RequestId = _transport.RedactOrNull(ex.Error.RequestId),
                    };
                }
                catch (Exception ex) when (QwenTransport.IsTransportFailure(ex) && aggregator.FinishReason == null)
                {
                    failure = _transport.Interrupted(ex, "The stream", aggregator.ChunkCount + " chunk(s)", null, null);
                }
                catch (Exception ex) when ((QwenTransport.IsTransportFailure(ex) || ex is ReadTimeoutException) && aggregator.FinishReason != null)
                {
                    // Everything up to the finish reason arrived; only the usage chunk or [DONE] is missing.
                    _transport.Verbose("The stream ended early after the finish reason (" + QwenTransport.Describe(ex) + "); the answer is complete.");
                }

                if (failure == null && !aggregator.SawDone)
                {
                    if (aggregator.ChunkCount == 0)
                    {
                        failure = new QwenException(
                            QwenErrorIds.UnexpectedResponse,
                            QwenErrorCategory.ProtocolError,
                            reader.BytesRead == 0 ? "The service returned an empty stream." : "The service returned a body with no stream events.");
                    }
                    else if (aggregator.FinishReason == null)
                    {
                        failure = new QwenException(
                            QwenErrorIds.StreamInterrupted,
                            QwenErrorCategory.ConnectionError,
                            "The stream ended after " + aggregator.ChunkCount + " chunk(s) without a finish reason: the answer is incomplete.");
                    }
                    else
                    {
                        _transport.Verbose("The stream ended without [DONE] after the finish reason; the answer is complete.");
                    }
                }

                if (audio != null)
                {
                    audio.Complete();
                    NoteAudio(audio, failure);
                }

                if (failure != null)
                {
                    failure.Target ??= request.Model;
                    failure.RequestId ??= requestId ?? RequestIds.FromCompletionId(aggregator.Id);
                    if (aggregator.ChunkCount > 0)
                    {
                        failure.PartialResponse = aggregator.Build(request.Messages, requestId, incomplete: true);
                        LastPartialResponse = failure.PartialResponse;
                    }

                    throw failure;
                }

                _transport.Verbose("Stream complete: " + aggregator.ChunkCount + " chunk(s), " + aggregator.TextLength + " characters, finish reason " + (aggregator.FinishReason ?? "none") + ".");
                return aggregator.Build(request.Messages, requestId, incomplete: false);
            }
        }

        /// <summary>Creates the WAV file of a spoken answer (replacing a file of that name).</summary>
        private static AudioAnswerFile OpenAudio(string path, string model)
        {
            try
            {
                return new AudioAnswerFile(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw AudioFailed(path, model, ex);
            }
        }

        private static QwenException AudioFailed(string path, string model, Exception ex) =>
            new QwenException(QwenErrorIds.AudioFileFailed, QwenErrorCategory.WriteError, "Cannot write the spoken answer to '" + path + "': " + ex.Message, ex) { Target = path };

        /// <summary>Says what the WAV file holds: after a failure in the error, and a stream that ended inside a sample in Verbose.</summary>
        private void NoteAudio(AudioAnswerFile audio, QwenException? failure)
        {
            string held = audio.Duration.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " s";
            if (failure != null)
            {
                failure.AppendToMessage("The spoken answer that arrived (" + held + ") is in '" + audio.Path + "', a valid WAV file.");
            }
            else
            {
                _transport.Verbose("Spoken answer: " + held + " of audio (" + audio.Bytes + " bytes of PCM) in " + audio.Path + ".");
            }

            if (audio.EndedMidway)
            {
                _transport.Verbose("The audio ended inside a sample or a base64 group; the incomplete end was dropped.");
            }
        }

        private QwenChatResponse ParseCompletion(byte[] json, ChatRequest request, string? requestId)
        {
            WireChatCompletion? completion = _transport.ParseJson(json, ChatJsonContext.Default.WireChatCompletion, NotACompletion, request.Model, requestId);

            WireChoice? choice = completion?.Choices != null && completion.Choices.Count > 0 ? completion.Choices[0] : null;
            if (completion == null || choice?.Message == null)
            {
                ServiceError? error = ServiceErrorParser.TryParse(json);
                if (error != null)
                {
                    QwenException mapped = _transport.FromServiceError(200, "OK", error, null, requestId, request.Model);
                    mapped.IsTransient = false;
                    throw mapped;
                }

                throw _transport.UnexpectedJson("The service returned JSON without a choice", json, request.Model, requestId);
            }

            var toolCalls = new System.Collections.Generic.List<QwenToolCall>();
            if (choice.Message.ToolCalls != null)
            {
                int position = 0;
                foreach (WireToolCall call in choice.Message.ToolCalls)
                {
                    toolCalls.Add(new QwenToolCall(call.Index ?? position, call.Id, call.Function?.Name ?? string.Empty, call.Function?.Arguments ?? string.Empty));
                    position++;
                }
            }

            WireUsage? usage = completion.Usage;
            return new QwenChatResponse(
                choice.Message.Content ?? string.Empty,
                string.IsNullOrEmpty(choice.Message.ReasoningContent) ? null : choice.Message.ReasoningContent,
                choice.FinishReason,
                ToUsage(usage),
                completion.Model,
                completion.Id,
                requestId ?? completion.RequestId ?? RequestIds.FromCompletionId(completion.Id),
                UnixTime.FromSeconds(completion.Created),
                toolCalls,
                request.Messages,
                incomplete: false);
        }

        /// <summary>The usage object of a chat.completion (null when absent).</summary>
        internal static QwenUsage? ToUsage(WireUsage? usage) =>
            usage == null ? null : new QwenUsage(usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens, usage.PromptTokensDetails?.CachedTokens, usage.CompletionTokensDetails?.ReasoningTokens)
            {
                PromptTextTokens = usage.PromptTokensDetails?.TextTokens,
                PromptImageTokens = usage.PromptTokensDetails?.ImageTokens,
                PromptAudioTokens = usage.PromptTokensDetails?.AudioTokens,
                PromptVideoTokens = usage.PromptTokensDetails?.VideoTokens,
                CompletionTextTokens = usage.CompletionTokensDetails?.TextTokens,
                CompletionAudioTokens = usage.CompletionTokensDetails?.AudioTokens,
                CacheCreationTokens = usage.PromptTokensDetails?.CacheCreationInputTokens ?? usage.PromptTokensDetails?.CacheCreation?.Ephemeral5mInputTokens,
                CacheType = usage.PromptTokensDetails?.CacheType,
            };

        private static void EmitWholeResponse(QwenChatResponse response, Action<object>? onRecord)
        {
            if (onRecord == null)
            {
                return;
            }

            if (!string.IsNullOrEmpty(response.Reasoning))
            {
                onRecord(new QwenReasoningChunk(response.Reasoning!));
            }

            if (response.Content.Length > 0)
            {
                onRecord(new QwenContentChunk(response.Content));
            }

            if (response.Usage != null)
            {
                onRecord(response.Usage);
            }
        }

        private static bool IsMediaType(string? actual, string expected) => string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);

        private static string Truncate(string text, int max) => text.Length <= max ? text : text.Substring(0, max) + "… (" + text.Length + " characters)";
    }
}
