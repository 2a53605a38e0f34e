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
using QwenPS.Errors;
using QwenPS.Http;

namespace QwenPS.Engine
{
    /// <summary>
    /// Talks to one DashScope endpoint for one command: sends with retries (<see cref="RetryPolicy"/>),
    /// applies the idle and total timeouts, maps failures to <see cref="QwenException"/>, and redacts the key
    /// from everything it writes. The chat and Files operations live in the partial files beside this one.
    /// </summary>
    internal sealed partial class QwenClient
    {
        internal const int MaxErrorBodyBytes = 1024 * 1024;
        internal const int MaxJsonBodyBytes = 256 * 1024 * 1024;

        private static readonly ProductInfoHeaderValue UserAgent = new ProductInfoHeaderValue(
            "QwenPS", typeof(QwenClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? "0.0");

        private readonly QwenClientSettings _settings;

        // One budget (-TimeoutSec) for everything this client does for its command.
        private readonly Deadline _deadline;

        public QwenClient(QwenClientSettings settings)
        {
            _settings = settings;
            _deadline = settings.CommandDeadline ?? new Deadline(settings.TotalTimeout);
        }

        public QwenClientSettings Settings => _settings;

        /// <summary>What a chat call had received when it was stopped or failed (marked incomplete).</summary>
        public QwenChatResponse? LastPartialResponse { get; private set; }

        internal Uri Endpoint(string relative) => QwenEndpoints.Combine(_settings.BaseUri, relative);

        /// <summary>
        /// Sends a request built fresh for each attempt, and returns the response once its headers say
        /// success. Transient failures are retried per the policy; the caller disposes the response.
        /// </summary>
        internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, object? target, Deadline deadline, CancellationToken cancellationToken)
        {
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

                    var stopwatch = Stopwatch.StartNew();
                    HttpResponseMessage? response = null;
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
                                    ex) { Target = target, IsTransient = true };
                        }
                        catch (HttpRequestException ex) when (IsCertificateFailure(ex))
                        {
                            // Not transient: the same certificate comes back on every attempt.
                            error = new QwenException(
                                QwenErrorIds.ConnectionFailed,
                                QwenErrorCategory.SecurityError,
                                Redact("The TLS handshake with " + request.RequestUri.Host + " failed (an untrusted certificate, or no protocol in common): " + Describe(ex) +
                                    " QwenPS always validates certificates; if a proxy inspects TLS, add its root certificate to this machine's trusted roots."),
                                ex) { Target = target, IsTransient = false };
                        }
                        catch (HttpRequestException ex)
                        {
                            error = new QwenException(
                                QwenErrorIds.ConnectionFailed,
                                QwenErrorCategory.ConnectionError,
                                Redact("Could not reach " + request.RequestUri.Host + ": " + Describe(ex)),
                                ex) { Target = target, IsTransient = true };
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
                            error = await ReadErrorAsync(response, target, deadline, cancellationToken).ConfigureAwait(false);
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

                    throw error;
                }

                if (deadline.Total.HasValue && deadline.Remaining < delay.Value)
                {
                    Verbose("Not retrying: the wait of " + Seconds(delay.Value) + " would exceed -TimeoutSec.");
                    throw error;
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

        private async Task<QwenException> ReadErrorAsync(HttpResponseMessage response, object? target, Deadline deadline, CancellationToken cancellationToken)
        {
            byte[] body;
            try
            {
                body = await ReadBodyAsync(response, MaxErrorBodyBytes, target, deadline, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                body = Array.Empty<byte>();
            }

            Wire.ServiceError? serviceError = ServiceErrorParser.TryParse(body);
            string? snippet = serviceError == null ? Redact(ServiceErrorParser.Snippet(body)) : null;
            QwenException error = ErrorMapper.FromHttp(
                (int)response.StatusCode,
                response.ReasonPhrase,
                serviceError,
                snippet,
                RequestIdOf(response),
                target,
                _settings.ApiKey.Reveal());
            error.RetryAfter = RetryPolicy.ParseRetryAfter(response.Headers, DateTimeOffset.UtcNow);
            return error;
        }

        /// <summary>
        /// Reads a whole body, at most <paramref name="limit"/> bytes, under the idle timeout and the total budget.
        /// A body that goes silent or breaks after the headers ends in one <see cref="QwenException"/>
        /// (IdleTimeout, Timeout or StreamInterrupted), never retried: the headers already said how it went.
        /// </summary>
        internal async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, int limit, object? target, Deadline deadline, CancellationToken cancellationToken)
        {
            // Every call reads a body here, so it allocates no scratch buffer (rented) and, when Content-Length is
            // given, sizes the result once and hands it out without the final copy (scenario 4 of docs/performance.md).
            long? declared = response.Content.Headers.ContentLength;
            int capacity = declared.HasValue && declared.Value > 0 && declared.Value <= limit ? (int)declared.Value : 0;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                using (var copy = new MemoryStream(capacity))
                {
                    try
                    {
                        Stream raw = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                        using (var body = new IdleTimeoutStream(raw, _settings.IdleTimeout, deadline, cancellationToken))
                        {
                            int read;
                            while ((read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                            {
                                if (copy.Length + read > limit)
                                {
                                    throw new QwenException(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.ProtocolError, "The response body is larger than " + limit + " bytes.") { Target = target, RequestId = RequestIdOf(response) };
                                }

                                copy.Write(buffer, 0, read);
                            }
                        }
                    }
                    catch (ReadTimeoutException ex)
                    {
                        QwenException error = ex.Idle
                            ? new QwenException(
                                QwenErrorIds.IdleTimeout,
                                QwenErrorCategory.OperationTimeout,
                                "The response went silent for " + Seconds(_settings.IdleTimeout) + " (-IdleTimeoutSec) after " + copy.Length + " byte(s).",
                                ex) { Target = target }
                            : TimeoutError(target, 1);
                        error.RequestId = RequestIdOf(response);
                        throw error;
                    }
                    catch (Exception ex) when (IsTransportFailure(ex))
                    {
                        throw new QwenException(
                            QwenErrorIds.StreamInterrupted,
                            QwenErrorCategory.ConnectionError,
                            Redact("The response broke after " + copy.Length + " byte(s): " + Describe(ex)),
                            ex) { Target = target, RequestId = RequestIdOf(response) };
                    }

                    return copy.Length > 0 && copy.Length == copy.Capacity ? copy.GetBuffer() : copy.ToArray();
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

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

        internal void Verbose(string message) => _settings.Output.WriteVerbose(Redact(message));

        internal void Debug(string message) => _settings.Output.WriteDebug(Redact(message));

        internal void Warning(string message) => _settings.Output.WriteWarning(Redact(message));

        internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture) + " s";

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
