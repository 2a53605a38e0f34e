using System;
using System.Net.Http;
using Xunit;
using QwenPS.Transport;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// How long QwenPS waits when the service says how long (docs/dashscope-notes.md, "Retries and rate limits"): the headers gateways
    /// really send, values no TimeSpan can hold, and the back-off when none is given.
    /// </summary>
    public class RetryAfterTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 22, 0, 0, TimeSpan.Zero);

        private static TimeSpan? Parse(params (string Name, string Value)[] headers)
        {
            using var response = new HttpResponseMessage((System.Net.HttpStatusCode)429);
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return RetryPolicy.ParseRetryAfter(response.Headers, Now);
        }

        [Theory]
        [InlineData("1.5", 1500)]
        [InlineData("0.25", 250)]
        [InlineData("0", 0)]
        [InlineData("0.0", 0)]
        public void Fractional_seconds_in_retry_after_are_honoured(string value, int milliseconds)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Parse(("Retry-After", value)));
        }

        [Theory]
        [InlineData("-1.5")]
        [InlineData("NaN")]
        [InlineData("1,5")]
        public void Negative_or_unreadable_fractional_values_are_ignored(string value)
        {
            Assert.Null(Parse(("Retry-After", value)));
        }

        [Theory]
        [InlineData("1e20")]
        [InlineData("Infinity")]
        [InlineData("86400")]
        public void Huge_fractional_waits_are_read_as_one_day(string value)
        {
            Assert.Equal(TimeSpan.FromDays(1), Parse(("Retry-After", value)));
        }

        [Fact]
        public void Whole_seconds_past_a_day_are_read_as_one_day_and_a_day_exactly_is_kept()
        {
            Assert.Equal(TimeSpan.FromDays(1), Parse(("Retry-After", "999999999")));
            Assert.Equal(TimeSpan.FromSeconds(86399), Parse(("Retry-After", "86399")));
        }

        [Fact]
        public void A_date_more_than_a_day_away_is_read_as_one_day()
        {
            Assert.Equal(TimeSpan.FromDays(1), Parse(("Retry-After", "Fri, 04 Dec 2026 22:00:00 GMT")));
            Assert.Equal(TimeSpan.FromHours(23), Parse(("Retry-After", "Wed, 02 Dec 2026 21:00:00 GMT")));
        }

        [Theory]
        [InlineData("1.5", 1.5)]
        [InlineData("0", 0)]
        public void Retry_after_ms_takes_fractions_and_zero(string value, double milliseconds)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Parse(("retry-after-ms", value)));
        }

        [Fact]
        public void Retry_after_ms_of_a_day_or_more_is_one_day()
        {
            Assert.Equal(TimeSpan.FromDays(1), Parse(("retry-after-ms", "86400000")));
            Assert.Equal(TimeSpan.FromDays(1), Parse(("retry-after-ms", "1e30")));
        }

        [Fact]
        public void An_unreadable_or_negative_retry_after_ms_falls_back_to_retry_after()
        {
            Assert.Equal(TimeSpan.FromSeconds(4), Parse(("retry-after-ms", "soon"), ("Retry-After", "4")));
            Assert.Equal(TimeSpan.FromSeconds(4), Parse(("retry-after-ms", "-5"), ("Retry-After", "4")));
            Assert.Null(Parse(("retry-after-ms", "-5")));
        }

        private static QwenException Transient(TimeSpan? retryAfter = null) =>
            new QwenException(QwenErrorIds.RateLimited, QwenErrorCategory.LimitsExceeded, "x") { IsTransient = true, RetryAfter = retryAfter };

        [Fact]
        public void A_wait_of_exactly_the_longest_allowed_is_waited_for()
        {
            var policy = new RetryPolicy(3) { MaxRetryAfter = TimeSpan.FromSeconds(60) };
            Assert.Equal(TimeSpan.FromSeconds(60), policy.NextDelay(1, Transient(TimeSpan.FromSeconds(60))));
            Assert.Null(policy.NextDelay(1, Transient(TimeSpan.FromSeconds(60.001))));
        }

        [Fact]
        public void The_last_retry_of_the_budget_is_still_made_with_the_service_wait()
        {
            var policy = new RetryPolicy(2);
            Assert.Equal(2, policy.MaxRetries);
            Assert.Equal(TimeSpan.FromSeconds(1), policy.NextDelay(2, Transient(TimeSpan.FromSeconds(1))));
            Assert.Null(policy.NextDelay(3, Transient(TimeSpan.FromSeconds(1))));
        }

        [Fact]
        public void The_default_back_off_starts_at_one_second_and_stops_growing_at_thirty()
        {
            var policy = new RetryPolicy(10);
            Assert.Equal(RetryPolicy.DefaultMaxRetries, new RetryPolicy().MaxRetries);
            Assert.InRange(policy.NextDelay(1, Transient())!.Value.TotalMilliseconds, 750, 1000);
            Assert.InRange(policy.NextDelay(2, Transient())!.Value.TotalMilliseconds, 1500, 2000);
            Assert.InRange(policy.NextDelay(10, Transient())!.Value.TotalMilliseconds, 22500, 30000);
        }
    }
}
