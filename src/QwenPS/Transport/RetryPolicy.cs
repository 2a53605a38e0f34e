using System;
using System.Globalization;
using System.Net.Http.Headers;

namespace QwenPS.Transport
{
    /// <summary>
    /// When and how long to wait before trying a failed request again. Transient failures (see
    /// <see cref="QwenException.IsTransient"/>) are retried up to <see cref="MaxRetries"/> times. The wait is the
    /// service's <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or an HTTP date) when given, else
    /// exponential backoff with jitter: <see cref="BaseDelay"/> × 2^retry, capped at <see cref="MaxDelay"/>,
    /// scaled by a random factor in [0.75, 1]. A Retry-After longer than <see cref="MaxRetryAfter"/> is
    /// not waited for: the error is reported at once, so an unattended run does not sleep for an hour.
    /// </summary>
    internal sealed class RetryPolicy
    {
        private readonly object _gate = new object();
        private Random? _random;

        public const int DefaultMaxRetries = 3;

        public RetryPolicy(int maxRetries = DefaultMaxRetries, Random? random = null)
        {
            MaxRetries = maxRetries;

            // The default Random is made on the first retry, not here: seeding it from the OS costs a system call
            // (about 2 us), and every chat call builds a policy that almost never retries.
            _random = random;
        }

        public int MaxRetries { get; }

        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>The delay before retry number <paramref name="retry"/> (1-based), or null when not to retry.</summary>
        public TimeSpan? NextDelay(int retry, QwenException error)
        {
            if (!error.IsTransient || retry > MaxRetries)
            {
                return null;
            }

            if (error.RetryAfter.HasValue)
            {
                TimeSpan asked = error.RetryAfter.Value < TimeSpan.Zero ? TimeSpan.Zero : error.RetryAfter.Value;
                return asked <= MaxRetryAfter ? asked : (TimeSpan?)null;
            }

            double exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1);
            double capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
            double jitter;
            lock (_gate)
            {
                _random ??= new Random();
                jitter = 0.75 + (_random.NextDouble() * 0.25);
            }

            return TimeSpan.FromMilliseconds(capped * jitter);
        }

        /// <summary>Longer waits than this are read as this (anything over <see cref="MaxRetryAfter"/> fails at once anyway),
        /// so "1e20" or "Infinity" in a header cannot overflow a TimeSpan.</summary>
        internal static readonly TimeSpan LongestParsed = TimeSpan.FromDays(1);

        /// <summary>
        /// Reads <c>retry-after-ms</c> (milliseconds, DashScope's SDK honours it first), then <c>Retry-After</c>
        /// as seconds or as an HTTP date relative to <paramref name="now"/>.
        /// </summary>
        public static TimeSpan? ParseRetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
        {
            if (headers.TryGetValues("retry-after-ms", out var msValues))
            {
                foreach (string value in msValues)
                {
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms) && ms >= 0)
                    {
                        return ms >= LongestParsed.TotalMilliseconds ? LongestParsed : TimeSpan.FromMilliseconds(ms);
                    }
                }
            }

            RetryConditionHeaderValue? retryAfter = headers.RetryAfter;
            if (retryAfter != null)
            {
                if (retryAfter.Delta.HasValue)
                {
                    return retryAfter.Delta.Value > LongestParsed ? LongestParsed : retryAfter.Delta.Value;
                }

                if (retryAfter.Date.HasValue)
                {
                    TimeSpan until = retryAfter.Date.Value - now;
                    return until < TimeSpan.Zero ? TimeSpan.Zero : until > LongestParsed ? LongestParsed : until;
                }
            }
            else if (headers.TryGetValues("Retry-After", out var raw))
            {
                // Fractional seconds are not valid per RFC 9110 but some gateways send them.
                foreach (string value in raw)
                {
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
                    {
                        return seconds >= LongestParsed.TotalSeconds ? LongestParsed : TimeSpan.FromSeconds(seconds);
                    }
                }
            }

            return null;
        }
    }
}
