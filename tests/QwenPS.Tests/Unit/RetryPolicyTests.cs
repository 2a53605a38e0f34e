using System;
using System.Net.Http;
using Xunit;
using QwenPS.Session;
using QwenPS.Tests.Support;
using QwenPS.Transport;

namespace QwenPS.Tests.Unit
{
    public class RetryPolicyTests
    {
        private static QwenException Transient(TimeSpan? retryAfter = null) =>
            new QwenException(QwenErrorIds.RateLimited, QwenErrorCategory.LimitsExceeded, "x") { IsTransient = true, RetryAfter = retryAfter };

        [Fact]
        public void Backoff_doubles_from_the_base_within_the_jitter_band_and_is_capped()
        {
            var policy = new RetryPolicy(maxRetries: 10, new Random(7)) { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8) };
            for (int retry = 1; retry <= 6; retry++)
            {
                double expected = Math.Min(Math.Pow(2, retry - 1), 8);
                TimeSpan delay = policy.NextDelay(retry, Transient())!.Value;
                Assert.InRange(delay.TotalSeconds, expected * 0.75, expected);
            }
        }

        [Theory]
        [InlineData(0.0, 750)]
        [InlineData(0.5, 875)]
        public void The_jitter_comes_from_the_random_source_the_policy_was_given(double sample, double milliseconds)
        {
            var policy = new RetryPolicy(3, new FixedRandom(sample)) { BaseDelay = TimeSpan.FromSeconds(1) };

            Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), policy.NextDelay(1, Transient()));
            Assert.Equal(TimeSpan.FromMilliseconds(milliseconds * 2), policy.NextDelay(2, Transient()));
        }

        [Fact]
        public void Jitter_spreads_delays()
        {
            var policy = new RetryPolicy(3, new Random(1));
            var seen = new System.Collections.Generic.HashSet<double>();
            for (int i = 0; i < 20; i++)
            {
                seen.Add(policy.NextDelay(1, Transient())!.Value.TotalMilliseconds);
            }

            Assert.True(seen.Count > 10);
        }

        [Fact]
        public void The_retry_budget_is_respected()
        {
            var policy = new RetryPolicy(maxRetries: 2);
            Assert.NotNull(policy.NextDelay(1, Transient()));
            Assert.NotNull(policy.NextDelay(2, Transient()));
            Assert.Null(policy.NextDelay(3, Transient()));
            Assert.Null(new RetryPolicy(0).NextDelay(1, Transient()));
        }

        [Fact]
        public void Non_transient_errors_are_never_retried()
        {
            var error = new QwenException(QwenErrorIds.BillingError, QwenErrorCategory.QuotaExceeded, "x") { IsTransient = false };
            Assert.Null(new RetryPolicy(3).NextDelay(1, error));
        }

        [Fact]
        public void Retry_after_is_honoured_exactly_and_too_long_a_wait_is_not_retried()
        {
            var policy = new RetryPolicy(3) { MaxRetryAfter = TimeSpan.FromSeconds(60) };
            Assert.Equal(TimeSpan.FromSeconds(7), policy.NextDelay(1, Transient(TimeSpan.FromSeconds(7))));
            Assert.Equal(TimeSpan.Zero, policy.NextDelay(1, Transient(TimeSpan.FromSeconds(-3))));
            Assert.Null(policy.NextDelay(1, Transient(TimeSpan.FromMinutes(5))));
        }

        private static HttpResponseMessage WithHeaders(params (string Name, string Value)[] headers)
        {
            var response = new HttpResponseMessage((System.Net.HttpStatusCode)429);
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return response;
        }

        [Fact]
        public void Retry_after_seconds_date_and_milliseconds_parse()
        {
            var now = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
            Assert.Equal(TimeSpan.FromSeconds(3), RetryPolicy.ParseRetryAfter(WithHeaders(("Retry-After", "3")).Headers, now));
            Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.ParseRetryAfter(WithHeaders(("Retry-After", "Sun, 22 Nov 2026 03:00:30 GMT")).Headers, now));
            Assert.Equal(TimeSpan.Zero, RetryPolicy.ParseRetryAfter(WithHeaders(("Retry-After", "Sun, 22 Nov 2026 02:00:00 GMT")).Headers, now));
            Assert.Equal(TimeSpan.FromMilliseconds(250), RetryPolicy.ParseRetryAfter(WithHeaders(("retry-after-ms", "250"), ("Retry-After", "9")).Headers, now));
            Assert.Null(RetryPolicy.ParseRetryAfter(WithHeaders().Headers, now));
            Assert.Null(RetryPolicy.ParseRetryAfter(WithHeaders(("Retry-After", "soon")).Headers, now));
        }
    }
}
