using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Session;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using QwenPS.Transport;

namespace QwenPS.Tests.Faults
{
    /// <summary>429s: every way the service says how long to wait, storms, and quota versus billing.</summary>
    public sealed class RateLimitFaultTests : FaultTestBase
    {
        private const string Throttled = "Requests rate limit exceeded, please try again later.";

        public RateLimitFaultTests(FaultFixture fixture)
            : base(fixture)
        {
        }

        private void Enqueue429(int times = 1, params (string Name, string Value)[] headers) =>
            Server.Enqueue(ServerBehavior.Error(429, "Throttling.RateQuota", Throttled, "Throttling", Fault.Headers(headers)), times);

        private static void AssertOneWarningPerRetry(FaultOutcome outcome, int retries, string errorId)
        {
            Assert.Equal(retries, outcome.Output.Warnings.Count);
            Assert.All(outcome.Output.Warnings, w => Assert.StartsWith(errorId + ":", w));
        }

        [Fact]
        public async Task Retry_After_in_seconds_is_waited_for_exactly_then_the_call_succeeds()
        {
            Enqueue429(1, ("Retry-After", "2"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: Fault.Quick);

            Assert.Equal("Answer to: x", outcome.Success().Content);
            Assert.Equal(new[] { TimeSpan.FromSeconds(2) }, test.Delays);
            AssertOneWarningPerRetry(outcome, 1, QwenErrorIds.RateLimited);
            Assert.Contains("Retrying in 2.0 s (retry 1 of 3)", outcome.Output.Warnings[0]);
        }

        [Fact]
        public async Task Retry_after_ms_wins_over_Retry_After()
        {
            Enqueue429(1, ("retry-after-ms", "150"), ("Retry-After", "9"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: Fault.Quick);

            outcome.Success();
            Assert.Equal(new[] { TimeSpan.FromMilliseconds(150) }, test.Delays);
            AssertOneWarningPerRetry(outcome, 1, QwenErrorIds.RateLimited);
        }

        [Fact]
        public async Task Retry_After_as_an_http_date_is_waited_for_until_that_time()
        {
            string date = DateTimeOffset.UtcNow.AddSeconds(3).ToString("R", CultureInfo.InvariantCulture);
            Enqueue429(1, ("Retry-After", date));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: Fault.Quick);

            outcome.Success();
            // An HTTP date has whole seconds: "now + 3 s" truncated is 2-3 s away (less the time the request took).
            Assert.InRange(Assert.Single(test.Delays).TotalSeconds, 1.0, 3.0);
        }

        [Fact]
        public async Task A_Retry_After_date_in_the_past_retries_at_once()
        {
            Enqueue429(1, ("Retry-After", DateTimeOffset.UtcNow.AddMinutes(-5).ToString("R", CultureInfo.InvariantCulture)));
            TestClient test = Fixture.CreateClient();

            (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: Fault.Quick).Success();

            Assert.Equal(new[] { TimeSpan.Zero }, test.Delays);
        }

        [Fact]
        public async Task Without_Retry_After_the_wait_backs_off_exponentially_with_jitter()
        {
            Enqueue429(3);
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 4, within: Fault.Quick);

            outcome.Success();
            Assert.Equal(3, test.Delays.Count);
            for (int retry = 1; retry <= 3; retry++)
            {
                double full = Math.Pow(2, retry - 1);
                Assert.InRange(test.Delays[retry - 1].TotalSeconds, full * 0.75, full);
            }

            AssertOneWarningPerRetry(outcome, 3, QwenErrorIds.RateLimited);
        }

        [Fact]
        public async Task Without_Retry_After_the_backoff_is_capped_at_30_seconds()
        {
            Enqueue429(10);
            TestClient test = Fixture.CreateClient(s => s.Retry = new RetryPolicy(10, new Random(5)));

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 11, within: Fault.Quick);

            outcome.Success();
            Assert.All(test.Delays, d => Assert.True(d <= TimeSpan.FromSeconds(30), d.ToString()));
            Assert.InRange(test.Delays[^1].TotalSeconds, 22.5, 30);
        }

        [Fact]
        public async Task A_429_storm_that_outlasts_the_retry_budget_ends_in_one_RateLimited_error()
        {
            Enqueue429(10, ("Retry-After", "1"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 4, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.RateLimited, QwenErrorCategory.LimitsExceeded);
            Assert.Equal(4, error.Attempts);
            Assert.Equal(429, error.StatusCode);
            Assert.Equal("Throttling.RateQuota", error.ServiceCode);
            Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
            Assert.Equal(Server.Requests[^1].RequestId, error.RequestId);
            AssertOneWarningPerRetry(outcome, 3, QwenErrorIds.RateLimited);
            Assert.Contains(outcome.Output.Verbose, v => v == "Giving up after 4 attempts.");
            Server.ClearBehaviors();
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(10)]
        public async Task The_retry_budget_is_MaxRetry_retries_after_the_first_attempt(int maxRetry)
        {
            Enqueue429(20);
            TestClient test = Fixture.CreateClient(s => s.Retry = new RetryPolicy(maxRetry));

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: maxRetry + 1, within: Fault.Quick);

            Assert.Equal(maxRetry + 1, outcome.Failure(QwenErrorIds.RateLimited, QwenErrorCategory.LimitsExceeded).Attempts);
            Assert.Equal(maxRetry, test.Delays.Count);
            Server.ClearBehaviors();
        }

        [Fact]
        public async Task A_Retry_After_over_60_seconds_is_not_waited_for_and_fails_at_once()
        {
            Enqueue429(1, ("Retry-After", "120"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.RateLimited, QwenErrorCategory.LimitsExceeded);
            Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
            Assert.Equal(1, error.Attempts);
            Assert.Empty(test.Delays);
            Assert.Empty(outcome.Output.Warnings);
        }

        [Theory]
        [InlineData("retry-after-ms", "1e20")]
        [InlineData("retry-after-ms", "Infinity")]
        [InlineData("Retry-After", "1e20")]
        [InlineData("Retry-After", "99999999999")]
        [InlineData("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT")]
        public async Task A_Retry_After_too_large_to_represent_fails_at_once_instead_of_overflowing(string header, string value)
        {
            Enqueue429(1, (header, value));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.RateLimited, QwenErrorCategory.LimitsExceeded);
            Assert.Equal(TimeSpan.FromDays(1), error.RetryAfter);
            Assert.Empty(test.Delays);
        }

        [Theory]
        [InlineData("-1")]
        [InlineData("NaN")]
        [InlineData("soon")]
        public async Task A_meaningless_Retry_After_falls_back_to_backoff(string value)
        {
            Enqueue429(1, ("Retry-After", value), ("retry-after-ms", value));
            TestClient test = Fixture.CreateClient();

            (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: Fault.Quick).Success();

            Assert.InRange(Assert.Single(test.Delays).TotalSeconds, 0.75, 1.0);
        }

        [Fact]
        public async Task A_retry_wait_longer_than_what_is_left_of_TimeoutSec_is_not_taken()
        {
            Enqueue429(1, ("Retry-After", "5"));
            TestClient test = Fixture.CreateClient(s => s.TotalTimeout = TimeSpan.FromSeconds(2));

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

            outcome.Failure(QwenErrorIds.RateLimited, QwenErrorCategory.LimitsExceeded);
            Assert.Empty(test.Delays);
            Assert.Contains(outcome.Output.Verbose, v => v.Contains("would exceed -TimeoutSec", StringComparison.Ordinal));
        }

        [Fact]
        public async Task The_wait_really_happens_when_it_is_not_injected()
        {
            Enqueue429(1, ("retry-after-ms", "300"));
            TestClient test = Fixture.CreateClient(s => s.Delay = Task.Delay);

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: Fault.Quick);

            outcome.Success();
            Assert.True(Server.Requests[1].ReceivedAt - Server.Requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(250));
        }

        [Fact]
        public async Task Insufficient_quota_429_is_a_per_minute_throttle_and_is_retried()
        {
            Server.Enqueue(ServerBehavior.Error(429, "insufficient_quota", "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota"));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: Fault.Quick);

            outcome.Success();
            AssertOneWarningPerRetry(outcome, 1, QwenErrorIds.RateLimited);
        }

        [Theory]
        [InlineData(400, "Arrearage", "Access denied, please make sure your account is in good standing.")]
        [InlineData(429, "Arrearage", "Access denied, please make sure your account is in good standing.")]
        [InlineData(429, "PrepaidBillOverdue", "The prepaid bill is overdue.")]
        [InlineData(429, "PostpaidBillOverdue", "The postpaid bill is overdue.")]
        [InlineData(429, "CommodityNotPurchased", "Commodity has not purchased yet.")]
        [InlineData(429, "Throttling.AllocationQuota", "Free allocated quota exceeded.")]
        public async Task Billing_errors_are_never_retried(int status, string code, string message)
        {
            Server.Enqueue(ServerBehavior.Error(status, code, message));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.BillingError, QwenErrorCategory.QuotaExceeded);
            Assert.False(error.IsTransient);
            Assert.Contains("retrying will not help", error.Message);
            Assert.Empty(test.Delays);
        }

        [Fact]
        public async Task Arrearage_in_the_native_envelope_is_never_retried_either()
        {
            Server.Enqueue(ServerBehavior.NativeError(400, "Arrearage", "Access denied, please make sure your account is in good standing."));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream: false)).Verify(Server, requests: 1, within: Fault.Quick);

            outcome.Failure(QwenErrorIds.BillingError, QwenErrorCategory.QuotaExceeded);
            Assert.Empty(test.Delays);
        }

        [Fact]
        public async Task Throttling_then_an_outage_then_success_uses_one_budget()
        {
            Enqueue429(1);
            Server.Enqueue(ServerBehavior.Status(503));
            Server.Enqueue(ServerBehavior.ResetBeforeHeaders());
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 4, within: Fault.Quick);

            outcome.Success();
            Assert.Equal(
                new[] { QwenErrorIds.RateLimited, QwenErrorIds.ServiceUnavailable, QwenErrorIds.ConnectionFailed },
                outcome.Output.Warnings.Select(w => w.Substring(0, w.IndexOf(':', StringComparison.Ordinal))));
        }
    }
}
