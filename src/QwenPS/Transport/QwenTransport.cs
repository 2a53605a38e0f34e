using System;
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using QwenPS.Errors;
using QwenPS.Output;

namespace QwenPS.Transport
{
    /// <summary>
    /// Talks to one DashScope endpoint for one command, for every API alike: sends with retries
    /// (<see cref="RetryPolicy"/>), applies the idle and total timeouts, reads bodies (buffered or into a sink),
    /// reads and maps error bodies, redacts the key from everything it writes, and logs. Nothing here knows
    /// an API's shapes: the endpoint classes (Chat/ChatApi, Files/FilesApi) do.
    /// </summary>
    internal sealed class QwenTransport
    {
        internal const int MaxErrorBodyBytes = 1024 * 1024;
        internal const int MaxJsonBodyBytes = 256 * 1024 * 1024;

        private static readonly ProductInfoHeaderValue UserAgent = new ProductInfoHeaderValue(
            "QwenPS", typeof(QwenTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? "0.0");

        private readonly TransportSettings _settings;

        // One budget (-TimeoutSec) for everything this client does for its command.
        private readonly Deadline _deadline;

        public QwenTransport(TransportSettings settings)
        {
            _settings = settings;
            _deadline = settings.CommandDeadline ?? new Deadline(settings.TotalTimeout);
        }

        public TransportSettings Settings => _settings;

        /// <summary>Where the engine writes: progress and records go here; Verbose, Debug and Warning through the redacting methods below.</summary>
        public IQwenOutput Output => _settings.Output;

        internal Uri Endpoint(string relative) => QwenEndpoints.Combine(_settings.BaseUri, relative);

        /// <summary>
        /// Sends a request built fresh for each attempt, and returns the response once its headers say
        /// success. Transient failures are retried per the policy; the caller disposes the response.
        /// </summary>
        internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, object? target, CancellationToken cancellationToken)
        {
            Deadline deadline = _deadline;
            int attempt = 0;
            while (true)
            {
                attempt++;
                QwenException? error = null;
                using (HttpRequestMessage request = createRequest())
                {
                    string key = _settings.ApiKey.Reveal();
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                    request.Headers.UserAgent.Add(UserAgent);
                    string what = request.Method + " " + request.RequestUri!.AbsolutePath;
                    Verbose(attempt == 1 ? what : what + " (attempt " + attempt + ")");

                    // A many-worker command: keep within the service's rates, and wait out a pause another worker was asked
                    // for. The lease ends when the headers (or the failure) are back: the service has seen the request.
                    IDisposable? lease = _settings.Gate == null ? null
                        : await _settings.Gate.EnterAsync(RequestGate.Classify(request.Method, request.RequestUri), cancellationToken).ConfigureAwait(false);
                    var stopwatch = Stopwatch.StartNew();
                    HttpResponseMessage? response = null;
                    using (lease)
                    using (var headerTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        // Whether a timeout here is the budget's is decided now (see Deadline.Cap).
                        TimeSpan limit = deadline.Cap(_settings.IdleTimeout, out bool budgetLimited);
                        if (Deadline.IsSpent(limit))
                        {
                            throw TimeoutError(target, attempt);
                        }

                        headerTimeout.CancelAfter(limit);
                        try
                        {
                            response = await _settings.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headerTimeout.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            throw;
                        }
                        catch (OperationCanceledException ex)
                        {
                            error = budgetLimited || deadline.Expired
                                ? TimeoutError(target, attempt)
                                : new QwenException(
                                    QwenErrorIds.ResponseTimeout,
                                    QwenErrorCategory.OperationTimeout,
                                    "No response from " + request.RequestUri.Host + " within " + Seconds(limit) + " (-IdleTimeoutSec).",
                                    Safe(ex)) { Target = target, IsTransient = true };
                        }
                        catch (HttpRequestException ex) when (IsCertificateFailure(ex))
                        {
                            // Not transient: the same certificate comes back on every attempt.
                            error = new QwenException(
                                QwenErrorIds.ConnectionFailed,
                                QwenErrorCategory.SecurityError,
                                Redact("The TLS handshake with " + request.RequestUri.Host + " failed (an untrusted certificate, or no protocol in common): " + Describe(ex) +
                                    " QwenPS always validates certificates; if a proxy inspects TLS, add its root certificate to this machine's trusted roots."),
                                Safe(ex)) { Target = target, IsTransient = false };
                        }
                        catch (HttpRequestException ex)
                        {
                            error = new QwenException(
                                QwenErrorIds.ConnectionFailed,
                                QwenErrorCategory.ConnectionError,
                                Redact("Could not reach " + request.RequestUri.Host + ": " + Describe(ex)),
                                Safe(ex)) { Target = target, IsTransient = true };
                        }
                    }

                    if (response != null)
                    {
                        Verbose(string.Format(
                            CultureInfo.InvariantCulture,
                            "HTTP {0} in {1} ms{2}",
                            (int)response.StatusCode,
                            stopwatch.ElapsedMilliseconds,
                            RequestIdOf(response) is string id ? ", request id " + id : string.Empty));
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        using (response)
                        {
                            error = await ReadErrorAsync(response, target, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                // Either the send failed or the response was an error: error is set on both paths.
                error!.Attempts = attempt;
                TimeSpan? delay = _settings.Retry.NextDelay(attempt, error);
                if (delay == null)
                {
                    if (error.IsTransient && attempt > 1)
                    {
                        Verbose("Giving up after " + attempt + " attempts.");
                    }

                    if (error.IsTransient && error.RetryAfter > _settings.Retry.MaxRetryAfter && attempt <= _settings.Retry.MaxRetries)
                    {
                        throw error.WithMoreText(string.Format(
                            CultureInfo.InvariantCulture,
                            "The service asked to wait {0:0} s (Retry-After) before a retry, longer than QwenPS waits ({1:0} s): try again after that.",
                            Math.Ceiling(error.RetryAfter!.Value.TotalSeconds),
                            _settings.Retry.MaxRetryAfter.TotalSeconds));
                    }

                    throw error;
                }

                if (deadline.Total.HasValue && deadline.Remaining < delay.Value)
                {
                    Verbose("Not retrying: the wait of " + Seconds(delay.Value) + " would exceed -TimeoutSec.");
                    throw error;
                }

                if (_settings.Gate != null && (error.RetryAfter.HasValue || error.StatusCode == 429))
                {
                    // The service's wait applies to the account, so to every worker of the command.
                    _settings.Gate.Pause(delay.Value);
                }

                Warning(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0}: {1} Retrying in {2} (retry {3} of {4}).",
                    error.ErrorId,
                    error.Message,
                    Seconds(delay.Value),
                    attempt,
                    _settings.Retry.MaxRetries));
                await _settings.Delay(delay.Value, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<QwenException> ReadErrorAsync(HttpResponseMessage response, object? target, CancellationToken cancellationToken)
        {
            byte[] body = await ReadErrorBodyAsync(response, target, cancellationToken).ConfigureAwait(false);
            ServiceError? serviceError = ServiceErrorParser.TryParse(body);
            string? snippet = serviceError == null ? Redact(ServiceErrorParser.Snippet(body, Redact)) : null;
            QwenException error = FromServiceError((int)response.StatusCode, response.ReasonPhrase, serviceError, snippet, RequestIdOf(response), target);
            error.RetryAfter = RetryPolicy.ParseRetryAfter(response.Headers, DateTimeOffset.UtcNow);
            return error;
        }

        /// <summary>
        /// The body of a response that is already known to be a failure, at most <see cref="MaxErrorBodyBytes"/>;
        /// empty when it cannot be read (the status says enough). Only a stop (Ctrl+C) escapes.
        /// </summary>
        private async Task<byte[]> ReadErrorBodyAsync(HttpResponseMessage response, object? target, CancellationToken cancellationToken)
        {
            try
            {
                return await ReadBodyAsync(response, MaxErrorBodyBytes, target, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                return Array.Empty<byte>();
            }
        }

        /// <summary>A 2xx answer whose body is not what the API returns (an HTML login page, another content type).</summary>
        internal async Task<QwenException> UnexpectedBodyAsync(HttpResponseMessage response, object? target, string what, CancellationToken cancellationToken)
        {
            byte[] body = await ReadErrorBodyAsync(response, target, cancellationToken).ConfigureAwait(false);
            return new QwenException(
                QwenErrorIds.UnexpectedResponse,
                QwenErrorCategory.ProtocolError,
                Redact("HTTP " + (int)response.StatusCode + " came with " + what + " instead of a DashScope answer: " + ServiceErrorParser.Snippet(body, Redact))) { Target = target, RequestId = RequestIdOf(response) };
        }

        /// <summary>The error the service described (in an error status, or in a 200 body), mapped and redacted.</summary>
        internal QwenException FromServiceError(int status, string? reason, ServiceError? serviceError, string? snippet, string? requestId, object? target) =>
            ErrorMapper.FromHttp(status, reason, serviceError, snippet, requestId, target, _settings.ApiKey.Reveal());

        /// <summary>
        /// Reads a whole body, at most <paramref name="limit"/> bytes, under the idle timeout and the total budget.
        /// A body that goes silent or breaks after the headers ends in one <see cref="QwenException"/>
        /// (IdleTimeout, Timeout or StreamInterrupted), never retried: the headers already said how it went.
        /// </summary>
        internal async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, int limit, object? target, CancellationToken cancellationToken)
        {
            // Every call reads a body here, so when Content-Length is given the result is sized once and handed
            // out without the final copy (scenario 4 of docs/performance.md).
            long? declared = response.Content.Headers.ContentLength;
            int capacity = declared.HasValue && declared.Value > 0 && declared.Value <= limit ? (int)declared.Value : 0;
            using (var copy = new MemoryStream(capacity))
            {
                await CopyBodyToAsync(response, copy, limit, target, cancellationToken).ConfigureAwait(false);
                return copy.Length > 0 && copy.Length == copy.Capacity ? copy.GetBuffer() : copy.ToArray();
            }
        }

        /// <summary>
        /// Streams a body into <paramref name="sink"/> (a file, for downloads too big to hold), at most
        /// <paramref name="limit"/> bytes, with the same timeouts and failures as <see cref="ReadBodyAsync"/>.
        /// Returns the number of bytes written.
        /// </summary>
        internal async Task<long> CopyBodyToAsync(HttpResponseMessage response, Stream sink, long limit, object? target, CancellationToken cancellationToken)
        {
            // No scratch buffer is allocated per call: it is rented.
            byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            long total = 0;
            try
            {
                using (Stream body = await OpenBodyAsync(response, cancellationToken).ConfigureAwait(false))
                {
                    int read;
                    while ((read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        if (total + read > limit)
                        {
                            throw new QwenException(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.ProtocolError, "The response body is larger than " + limit + " bytes.") { Target = target, RequestId = RequestIdOf(response) };
                        }

                        await sink.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                        total += read;
                    }
                }

                return total;
            }
            catch (ReadTimeoutException ex)
            {
                throw ReadTimeout(ex, "The response", total + " byte(s)", target, RequestIdOf(response));
            }
            catch (Exception ex) when (IsTransportFailure(ex))
            {
                throw Interrupted(ex, "The response", total + " byte(s)", target, RequestIdOf(response));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>
        /// The body as a stream that throws <see cref="ReadTimeoutException"/> when it goes silent for the idle
        /// timeout or outlives the command's budget. For bodies read incrementally (an SSE stream).
        /// </summary>
        internal async Task<Stream> OpenBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            Stream raw = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            return new IdleTimeoutStream(raw, _settings.IdleTimeout, _deadline, cancellationToken);
        }

        /// <summary>A body or stream that went silent (-IdleTimeoutSec) or ran out of the command's budget (-TimeoutSec).</summary>
        internal QwenException ReadTimeout(ReadTimeoutException ex, string what, string progress, object? target, string? requestId)
        {
            QwenException error = ex.Idle
                ? new QwenException(
                    QwenErrorIds.IdleTimeout,
                    QwenErrorCategory.OperationTimeout,
                    what + " went silent for " + Seconds(_settings.IdleTimeout) + " (-IdleTimeoutSec) after " + progress + ".",
                    Safe(ex)) { Target = target }
                : TimeoutError(target, 1);
            error.RequestId = requestId;
            return error;
        }

        /// <summary>A body or stream whose connection broke after the headers.</summary>
        internal QwenException Interrupted(Exception ex, string what, string progress, object? target, string? requestId) =>
            new QwenException(
                QwenErrorIds.StreamInterrupted,
                QwenErrorCategory.ConnectionError,
                Redact(what + " broke after " + progress + ": " + Describe(ex)),
                Safe(ex)) { Target = target, RequestId = requestId };

        /// <summary>Reads a whole JSON body (at most <see cref="MaxJsonBodyBytes"/>) into <typeparamref name="T"/>; anything else is UnexpectedResponse.</summary>
        internal async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, object target, CancellationToken cancellationToken)
            where T : class
        {
            byte[] body = await ReadBodyAsync(response, MaxJsonBodyBytes, target, cancellationToken).ConfigureAwait(false);
            const string Lead = "The service's answer is not the expected JSON";
            T? value = body.Length == 0 ? null : ParseJson(body, type, Lead, target, RequestIdOf(response));
            return value ?? throw UnexpectedJson(Lead, body, target, RequestIdOf(response));
        }

        /// <summary>Deserialises with a source-generated type; JSON that does not fit ends in UnexpectedResponse beginning with <paramref name="lead"/>.</summary>
        internal T? ParseJson<T>(byte[] body, JsonTypeInfo<T> type, string lead, object? target, string? requestId)
            where T : class
        {
            try
            {
                return JsonSerializer.Deserialize(body, type);
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
            {
                // InvalidOperationException: a string that is not valid text (invalid UTF-8, a lone escaped surrogate).
                throw UnexpectedJson(lead, body, target, requestId, ex);
            }
        }

        /// <summary>UnexpectedResponse: <paramref name="lead"/>, then a short redacted snippet of the body.</summary>
        internal QwenException UnexpectedJson(string lead, byte[] body, object? target, string? requestId, Exception? inner = null) =>
            new QwenException(
                QwenErrorIds.UnexpectedResponse,
                QwenErrorCategory.ProtocolError,
                Redact(lead + ": " + ServiceErrorParser.Snippet(body, Redact)),
                inner == null ? null : Safe(inner)) { Target = target, RequestId = requestId };

        /// <summary>The service's request id from the response headers (redacted: it is text the other side chose).</summary>
        internal string? RequestIdOf(HttpResponseMessage response) => RedactOrNull(RawRequestIdOf(response));

        private static string? RawRequestIdOf(HttpResponseMessage response)
        {
            foreach (string name in new[] { "x-request-id", "x-dashscope-request-id", "request-id" })
            {
                if (response.Headers.TryGetValues(name, out var values))
                {
                    foreach (string value in values)
                    {
                        if (!string.IsNullOrWhiteSpace(value))
                        {
                            return value.Trim();
                        }
                    }
                }
            }

            return null;
        }

        internal QwenException TimeoutError(object? target, int attempts) =>
            new QwenException(
                QwenErrorIds.Timeout,
                QwenErrorCategory.OperationTimeout,
                "The command did not finish within " + Seconds(_settings.TotalTimeout ?? TimeSpan.Zero) + " (-TimeoutSec).") { Target = target, Attempts = attempts };

        internal string Redact(string text) => SecretRedactor.Redact(text, _settings.ApiKey.Reveal());

        internal string? RedactOrNull(string? text) => text == null ? null : Redact(text);

        /// <summary>The exception to keep as a QwenException's inner one: a redacted copy (see <see cref="RedactedException"/>).</summary>
        internal Exception Safe(Exception exception) => RedactedException.From(exception, Redact);

        internal void Verbose(string message) => _settings.Output.WriteVerbose(Redact(message));

        internal void Debug(string message) => _settings.Output.WriteDebug(Redact(message));

        internal void Warning(string message) => _settings.Output.WriteWarning(Redact(message));

        internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture) + " s";

        /// <summary>What a broken connection looks like while a body is read.</summary>
        internal static bool IsTransportFailure(Exception exception) =>
            exception is IOException || exception is HttpRequestException || exception is ObjectDisposedException;

        private static bool IsCertificateFailure(Exception exception)
        {
            for (Exception? inner = exception; inner != null; inner = inner.InnerException)
            {
                if (inner is System.Security.Authentication.AuthenticationException)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The exception's message and its inner ones ("connection refused" is usually inner).</summary>
        internal static string Describe(Exception exception)
        {
            string text = exception.Message;
            for (Exception? inner = exception.InnerException; inner != null; inner = inner.InnerException)
            {
                if (!text.Contains(inner.Message))
                {
                    text += " " + inner.Message;
                }
            }

            return text;
        }
    }
}
