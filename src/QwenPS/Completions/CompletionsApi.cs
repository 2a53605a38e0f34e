using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Catalog;
using QwenPS.Completions.Wire;
using QwenPS.Streaming;
using QwenPS.Transport;

namespace QwenPS.Completions
{
    /// <summary>
    /// The <c>/completions</c> endpoint (docs/dashscope-notes.md, "Code completion (fill in the middle)"): writes the
    /// body, sends it through the transport, and reads a whole <c>text_completion</c> or its SSE stream of chunks.
    /// </summary>
    internal sealed class CompletionsApi
    {
        private static readonly byte[] DoneMarker = Encoding.ASCII.GetBytes("[DONE]");

        private readonly QwenTransport _transport;

        public CompletionsApi(QwenTransport transport)
        {
            _transport = transport;
        }

        /// <summary>One call; when streaming, each text piece goes to <paramref name="onText"/> as it is decoded.</summary>
        public async Task<QwenCodeCompletion> CompleteAsync(CompletionRequest request, Action<string>? onText, CancellationToken cancellationToken)
        {
            byte[] body = CompletionRequestWriter.Write(request);
            _transport.Verbose("Code completion with " + request.Model + ": " + body.Length + " bytes, " + (request.Stream ? "streamed" : "not streamed") + ".");
            Uri uri = _transport.Endpoint("/completions");

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
                if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
                {
                    WireTextCompletion whole = await _transport.ReadJsonAsync(response, CompletionsJsonContext.Default.WireTextCompletion, request.Model, cancellationToken).ConfigureAwait(false);
                    WireTextChoice? choice = whole.Choices != null && whole.Choices.Count > 0 ? whole.Choices[0] : null;
                    if (choice == null)
                    {
                        throw _transport.UnexpectedJson("The service returned a completion without a choice", Array.Empty<byte>(), request.Model, requestId);
                    }

                    onText?.Invoke(choice.Text ?? string.Empty);
                    return Result(request, choice.Text ?? string.Empty, choice.FinishReason, whole.Usage, whole.Model, requestId ?? whole.Id);
                }

                var text = new StringBuilder();
                string? finish = null;
                string? model = null;
                string? id = null;
                WireTextUsage? usage = null;
                int chunks = 0;
                bool done = false;
                using (var reader = new SseReader(await _transport.OpenBodyAsync(response, cancellationToken).ConfigureAwait(false)))
                {
                    try
                    {
                        while (await reader.ReadEventAsync(cancellationToken).ConfigureAwait(false))
                        {
                            if (reader.Data.SequenceEqual(DoneMarker))
                            {
                                done = true;
                                break;
                            }

                            WireTextCompletion? chunk = JsonSerializer.Deserialize(reader.Data, CompletionsJsonContext.Default.WireTextCompletion);
                            chunks++;
                            model ??= chunk?.Model;
                            id ??= chunk?.Id;
                            usage = chunk?.Usage ?? usage;
                            WireTextChoice? choice = chunk?.Choices != null && chunk.Choices.Count > 0 ? chunk.Choices[0] : null;
                            if (!string.IsNullOrEmpty(choice?.Text))
                            {
                                text.Append(choice!.Text);
                                onText?.Invoke(choice.Text!);
                            }

                            finish = choice?.FinishReason ?? finish;
                        }
                    }
                    catch (Exception ex) when (QwenTransport.IsTransportFailure(ex) || ex is ReadTimeoutException || ex is JsonException)
                    {
                        if (finish == null)
                        {
                            throw _transport.Interrupted(ex, "The completion stream", chunks + " chunk(s), " + text.Length + " characters", request.Model, requestId);
                        }
                    }
                }

                if (!done && finish == null)
                {
                    throw new QwenException(
                        QwenErrorIds.StreamInterrupted,
                        QwenErrorCategory.ConnectionError,
                        "The completion stream ended after " + chunks + " chunk(s) without a finish reason: the text is incomplete.") { Target = request.Model, RequestId = requestId };
                }

                return Result(request, text.ToString(), finish, usage, model, requestId ?? id);
            }
        }

        private QwenCodeCompletion Result(CompletionRequest request, string text, string? finishReason, WireTextUsage? wire, string? model, string? requestId)
        {
            QwenUsage? usage = wire == null ? null : new QwenUsage(wire.PromptTokens, wire.CompletionTokens, wire.TotalTokens, null, null);
            UsagePricing.Price(usage, model ?? request.Model, _transport.Settings.Region);
            return new QwenCodeCompletion(text, request.Prefix, request.Suffix, finishReason, usage, model ?? request.Model, requestId);
        }
    }
}
