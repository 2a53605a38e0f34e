using System;
using System.Linq;
using System.Threading.Tasks;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Faults
{
    /// <summary>The connection itself: refused, reset, silent before and after the headers, slow, and budgets.</summary>
    public sealed class TransportFaultTests : FaultTestBase
    {
        public TransportFaultTests(FaultFixture fixture)
            : base(fixture)
        {
        }

        private TestClient ShortIdleClient(Action<QwenPS.Transport.TransportSettings>? more = null) =>
            Fixture.CreateClient(s =>
            {
                s.IdleTimeout = Fault.ShortIdle;
                more?.Invoke(s);
            });

        [Fact]
        public async Task Connection_refused_is_retried_then_reported_as_ConnectionFailed()
        {
            var nowhere = new Uri("http://127.0.0.1:" + Fault.ClosedPort() + "/compatible-mode/v1");
            TestClient test = ServerFixture.CreateClient(Fixture.Http, nowhere, FaultFixture.CanaryKey);

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(server: null, requests: 0, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.ConnectionFailed, QwenErrorCategory.ConnectionError);
            Assert.True(error.IsTransient);
            Assert.Equal(4, error.Attempts);
            Assert.Contains("Could not reach 127.0.0.1", error.Message);
            Assert.Contains(outcome.Output.Verbose, v => v.EndsWith("(attempt 4)", StringComparison.Ordinal));
            Assert.Equal(3, outcome.Output.Warnings.Count);
        }

        [Fact]
        public async Task A_reset_before_the_headers_is_retried_and_the_call_succeeds()
        {
            Server.Enqueue(ServerBehavior.ResetBeforeHeaders());
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: Fault.Quick);

            Assert.Equal("Answer to: x", outcome.Success().Content);
            Assert.StartsWith(QwenErrorIds.ConnectionFailed, Assert.Single(outcome.Output.Warnings));
        }

        [Fact]
        public async Task Resets_before_the_headers_that_persist_end_in_ConnectionFailed()
        {
            Server.Enqueue(ServerBehavior.ResetBeforeHeaders(), times: 4);
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream: false)).Verify(Server, requests: 4, within: Fault.Quick);

            Assert.Equal(4, outcome.Failure(QwenErrorIds.ConnectionFailed, QwenErrorCategory.ConnectionError).Attempts);
        }

        [Fact]
        public async Task A_reset_mid_stream_keeps_every_chunk_that_arrived_and_is_not_retried()
        {
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = Fault.Sixteen, CutAfterChunks = 3 }));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError);
            Assert.Equal("01234567", outcome.DeliveredContent);
            Assert.Equal(new[] { "0123", "4567" }, outcome.Output.Objects.Select(o => o.ToString()));
            Assert.True(error.PartialResponse!.Incomplete);
            Assert.Null(error.PartialResponse.FinishReason);
            Assert.Same(error.PartialResponse, test.Chat.LastPartialResponse);
            Assert.Empty(outcome.Output.Warnings);
        }

        [Fact]
        public async Task A_reset_right_after_the_stream_headers_is_StreamInterrupted_with_nothing_to_keep()
        {
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { CutAfterChunks = 0 }));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.Null(outcome.Failure(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError).PartialResponse);
        }

        [Fact]
        public async Task A_stream_that_goes_silent_ends_in_IdleTimeout_with_what_arrived()
        {
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = Fault.Sixteen, SilenceAfterChunks = 3, SilenceDuration = TimeSpan.FromSeconds(30) }));
            TestClient test = ShortIdleClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: TimeSpan.FromSeconds(3));

            QwenException error = outcome.Failure(QwenErrorIds.IdleTimeout, QwenErrorCategory.OperationTimeout);
            Assert.StartsWith("The stream went silent for 0.3 s (-IdleTimeoutSec) after 3 chunk(s).", error.Message, StringComparison.Ordinal);
            Assert.Equal("01234567", error.PartialResponse!.Content);
            Assert.True(outcome.Elapsed >= TimeSpan.FromMilliseconds(250), outcome.Elapsed.ToString());
            await Fault.AssertServerIdleAsync(Server);
        }

        [Fact]
        public async Task A_server_silent_before_the_headers_times_out_and_the_retry_succeeds()
        {
            Server.Enqueue(ServerBehavior.DelayThen(TimeSpan.FromSeconds(30)));
            TestClient test = Fixture.CreateClient(s => s.IdleTimeout = Fault.RetryIdle);

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 2, within: TimeSpan.FromSeconds(8));

            outcome.Success();
            Assert.StartsWith(QwenErrorIds.ResponseTimeout + ": No response from 127.0.0.1 within 1.5 s (-IdleTimeoutSec).", Assert.Single(outcome.Output.Warnings));
            await Fault.AssertServerIdleAsync(Server);
        }

        [Fact]
        public async Task A_server_that_never_sends_headers_ends_in_ResponseTimeout_within_the_bound()
        {
            Server.Enqueue(ServerBehavior.DelayThen(TimeSpan.FromSeconds(30)), times: 4);
            TestClient test = ShortIdleClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 4, within: TimeSpan.FromSeconds(5));

            Assert.Equal(4, outcome.Failure(QwenErrorIds.ResponseTimeout, QwenErrorCategory.OperationTimeout).Attempts);
            Assert.True(outcome.Elapsed >= TimeSpan.FromMilliseconds(4 * 250), outcome.Elapsed.ToString());
            await Fault.AssertServerIdleAsync(Server);
        }

        [Fact]
        public async Task A_slow_drip_well_inside_the_idle_timeout_never_times_out()
        {
            // 100 chunks 50 ms apart (5 s) outlast the 4 s idle timeout as a whole, and no gap comes near it: the timer
            // restarts on every read. The 80x margin is for a loaded CI box: with the whole suite running in parallel
            // on 2 cores, stalls of 0.6 s and once 1.5 s have been seen.
            string answer = string.Concat(Enumerable.Repeat("drip", 50));
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions
            {
                Reply = ChatReply.FromText(answer, chunkSize: 2),
                ChunkDelay = TimeSpan.FromMilliseconds(50),
                IncludeUsage = true,
            }));
            TimeSpan idle = TimeSpan.FromSeconds(4);
            TestClient test = Fixture.CreateClient(s => s.IdleTimeout = idle);

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: TimeSpan.FromSeconds(25));

            QwenChatResponse response = outcome.Success();
            Assert.Equal(answer, response.Content);
            Assert.NotNull(response.Usage);
            Assert.True(outcome.Elapsed > idle, "The drip must outlast one idle timeout: " + outcome.Elapsed);
        }

        [Fact]
        public async Task TimeoutSec_bounds_a_stream_that_drips_forever()
        {
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions
            {
                Reply = ChatReply.FromText(new string('z', 400), chunkSize: 4),
                ChunkDelay = TimeSpan.FromMilliseconds(50),
            }));
            TestClient test = Fixture.CreateClient(s => s.TotalTimeout = TimeSpan.FromMilliseconds(1500));

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: TimeSpan.FromSeconds(4));

            QwenException error = outcome.Failure(QwenErrorIds.Timeout, QwenErrorCategory.OperationTimeout);
            Assert.Contains("-TimeoutSec", error.Message);
            Assert.NotEmpty(error.PartialResponse!.Content);
            Assert.True(outcome.Elapsed >= TimeSpan.FromMilliseconds(1400), outcome.Elapsed.ToString());
            await Fault.AssertServerIdleAsync(Server);
        }

        [Fact]
        public async Task TimeoutSec_bounds_the_wait_for_headers_and_is_not_retried()
        {
            Server.Enqueue(ServerBehavior.DelayThen(TimeSpan.FromSeconds(30)), times: 4);
            TestClient test = Fixture.CreateClient(s => s.TotalTimeout = TimeSpan.FromMilliseconds(500));

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: TimeSpan.FromSeconds(3));

            outcome.Failure(QwenErrorIds.Timeout, QwenErrorCategory.OperationTimeout);
            Assert.Empty(outcome.Output.Warnings);
            Server.ClearBehaviors();
            await Fault.AssertServerIdleAsync(Server);
        }

        [Fact]
        public async Task TimeoutSec_includes_the_retry_waits()
        {
            Server.Enqueue(ServerBehavior.Status(503, Fault.Headers(("retry-after-ms", "400"))), times: 10);
            TestClient test = Fixture.CreateClient(s =>
            {
                s.TotalTimeout = TimeSpan.FromMilliseconds(1000);
                s.Delay = Task.Delay;
            });

            FaultOutcome outcome = await Fault.ChatAsync(test);

            // Attempts at about 0, 0.4 and 0.8 s; a third wait would end after 1 s, so the 503 is reported. On a
            // loaded machine the attempts drift later: the second wait may already not fit (2 requests), or the
            // budget may run out during the third attempt itself (Timeout). Never a fourth request, never late.
            int requests = Server.Requests.Count;
            Assert.InRange(requests, 2, 3);
            outcome.Verify(Server, requests, within: TimeSpan.FromSeconds(3));
            QwenException error = Assert.IsType<QwenException>(outcome.Error);
            Assert.Contains(error.ErrorId, new[] { QwenErrorIds.ServiceUnavailable, QwenErrorIds.Timeout });
            if (error.ErrorId == QwenErrorIds.ServiceUnavailable)
            {
                Assert.Contains(outcome.Output.Verbose, v => v.Contains("would exceed -TimeoutSec", StringComparison.Ordinal));
            }
            Server.ClearBehaviors();
        }

        [Fact]
        public async Task A_non_streamed_body_that_stalls_after_the_headers_ends_in_IdleTimeout()
        {
            Server.Enqueue(ServerBehavior.RawBody(200, "application/json", RawSegment.Text("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"half"), RawSegment.Delay(TimeSpan.FromSeconds(30))));
            TestClient test = ShortIdleClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream: false)).Verify(Server, requests: 1, within: TimeSpan.FromSeconds(3));

            outcome.Failure(QwenErrorIds.IdleTimeout, QwenErrorCategory.OperationTimeout);
            await Fault.AssertServerIdleAsync(Server);
        }

        [Fact]
        public async Task A_non_streamed_body_cut_halfway_ends_in_StreamInterrupted_and_is_not_retried()
        {
            Server.Enqueue(ServerBehavior.RawBody(200, "application/json", RawSegment.Text("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"half"), RawSegment.Abort()));
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream: false)).Verify(Server, requests: 1, within: Fault.Quick);

            outcome.Failure(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError);
        }

        [Fact]
        public async Task A_non_streamed_body_that_drips_past_TimeoutSec_ends_in_Timeout()
        {
            Server.Enqueue(ServerBehavior.RawBody(200, "application/json", RawSegment.Text("{\"choices\":[{\"message\":{\"content\":\""), RawSegment.Delay(TimeSpan.FromMilliseconds(200)), RawSegment.Text("a"), RawSegment.Delay(TimeSpan.FromMilliseconds(200)), RawSegment.Text("b"), RawSegment.Delay(TimeSpan.FromMilliseconds(200)), RawSegment.Text("c"), RawSegment.Delay(TimeSpan.FromSeconds(30))));
            TestClient test = Fixture.CreateClient(s => s.TotalTimeout = TimeSpan.FromMilliseconds(700));

            FaultOutcome outcome = (await Fault.ChatAsync(test, stream: false)).Verify(Server, requests: 1, within: TimeSpan.FromSeconds(3));

            outcome.Failure(QwenErrorIds.Timeout, QwenErrorCategory.OperationTimeout);
            await Fault.AssertServerIdleAsync(Server);
        }

        [Fact]
        public async Task After_errors_the_keep_alive_connection_is_still_reused()
        {
            Server.Enqueue(ServerBehavior.Status(503));
            (await Fault.ChatAsync(Fixture.CreateClient())).Verify(Server, requests: 2, within: Fault.Quick).Success();
            Server.Enqueue(ServerBehavior.Error(400, "invalid_parameter_error", "bad"));
            (await Fault.ChatAsync(Fixture.CreateClient())).Verify(Server, requests: 3, within: Fault.Quick).Failure(QwenErrorIds.InvalidParameter, QwenErrorCategory.InvalidArgument);
            (await Fault.ChatAsync(Fixture.CreateClient(), stream: false)).Verify(Server, requests: 4, within: Fault.Quick).Success();

            Assert.Equal(1, Server.ConnectionCount);
        }
    }
}
