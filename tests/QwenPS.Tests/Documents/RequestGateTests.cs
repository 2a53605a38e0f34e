using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Transport;
using Xunit;

namespace QwenPS.Tests.Documents
{
    /// <summary>The shared gate of a many-worker command, on a virtual clock: waiting moves the clock, nothing sleeps.</summary>
    public class RequestGateTests
    {
        private static readonly TimeSpan Period = TimeSpan.FromSeconds(1) + RequestGate.WindowMargin;

        private sealed class VirtualClock
        {
            public TimeSpan Now { get; set; }

            public List<TimeSpan> Waits { get; } = new List<TimeSpan>();

            public Task Delay(TimeSpan wait, CancellationToken token)
            {
                token.ThrowIfCancellationRequested();
                Waits.Add(wait);
                Now += wait;
                return Task.CompletedTask;
            }
        }

        private static (RequestGate Gate, VirtualClock Clock) Create(int uploads = 3, int fileCalls = 10)
        {
            var clock = new VirtualClock();
            return (new RequestGate(uploads, fileCalls, () => clock.Now, clock.Delay), clock);
        }

        [Fact]
        public async Task Uploads_start_at_most_three_per_window_and_the_fourth_waits_for_the_first_to_leave_it()
        {
            var (gate, clock) = Create();
            var starts = new List<TimeSpan>();
            for (int i = 0; i < 7; i++)
            {
                (await gate.EnterAsync(GatedRequestKind.Upload, CancellationToken.None)).Dispose();
                starts.Add(clock.Now);
            }

            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, Period, Period, Period, Period + Period }, starts);
        }

        [Fact]
        public async Task A_slot_counts_from_when_its_request_finished_and_holds_the_window_while_in_flight()
        {
            var gate = new RequestGate(uploadsPerSecond: 1);
            IDisposable first = await gate.EnterAsync(GatedRequestKind.Upload, CancellationToken.None);
            Task<IDisposable> second = gate.EnterAsync(GatedRequestKind.Upload, CancellationToken.None);

            await Task.Delay(300);
            Assert.False(second.IsCompleted, "the second upload started while the first was still in flight");
            var sinceFirstFinished = System.Diagnostics.Stopwatch.StartNew();
            first.Dispose();
            (await second).Dispose();
            Assert.True(sinceFirstFinished.Elapsed >= TimeSpan.FromSeconds(1), "second started " + sinceFirstFinished.Elapsed + " after the first finished");
        }

        [Fact]
        public async Task Chat_requests_have_no_rate_and_file_calls_their_own_window()
        {
            var (gate, clock) = Create(uploads: 1, fileCalls: 2);
            (await gate.EnterAsync(GatedRequestKind.Upload, CancellationToken.None)).Dispose();
            for (int i = 0; i < 50; i++)
            {
                (await gate.EnterAsync(GatedRequestKind.Other, CancellationToken.None)).Dispose();
            }

            (await gate.EnterAsync(GatedRequestKind.FileManagement, CancellationToken.None)).Dispose();
            (await gate.EnterAsync(GatedRequestKind.FileManagement, CancellationToken.None)).Dispose();
            Assert.Equal(TimeSpan.Zero, clock.Now);

            (await gate.EnterAsync(GatedRequestKind.FileManagement, CancellationToken.None)).Dispose();
            Assert.Equal(Period, clock.Now);
        }

        [Fact]
        public async Task A_pause_holds_every_kind_until_it_ends_and_a_shorter_one_does_not_cut_it()
        {
            var (gate, clock) = Create();
            gate.Pause(TimeSpan.FromSeconds(5));
            gate.Pause(TimeSpan.FromSeconds(2));

            (await gate.EnterAsync(GatedRequestKind.Other, CancellationToken.None)).Dispose();
            Assert.Equal(TimeSpan.FromSeconds(5), clock.Now);
            (await gate.EnterAsync(GatedRequestKind.Upload, CancellationToken.None)).Dispose();
            Assert.Equal(TimeSpan.FromSeconds(5), clock.Now);
            Assert.Equal(1, gate.Waits);
        }

        [Fact]
        public async Task Waiting_ends_at_once_when_cancelled()
        {
            var (gate, _) = Create();
            gate.Pause(TimeSpan.FromMinutes(1));
            using var stop = new CancellationTokenSource();
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.EnterAsync(GatedRequestKind.Other, stop.Token));
        }

        [Fact]
        public async Task Real_waiters_on_many_threads_never_exceed_the_window()
        {
            var gate = new RequestGate(uploadsPerSecond: 3);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var starts = new List<TimeSpan>();
            var workers = new List<Task>();
            for (int i = 0; i < 8; i++)
            {
                workers.Add(Task.Run(async () =>
                {
                    (await gate.EnterAsync(GatedRequestKind.Upload, CancellationToken.None)).Dispose();
                    lock (starts)
                    {
                        starts.Add(clock.Elapsed);
                    }
                }));
            }

            await Task.WhenAll(workers);
            starts.Sort();

            // Any four consecutive starts span at least one window: never four in one second.
            for (int i = 3; i < starts.Count; i++)
            {
                Assert.True(starts[i] - starts[i - 3] >= TimeSpan.FromSeconds(1), "starts " + string.Join(", ", starts));
            }
        }

        [Theory]
        [InlineData("POST", "https://h/compatible-mode/v1/files", "Upload")]
        [InlineData("GET", "https://h/compatible-mode/v1/files?limit=2000", "FileManagement")]
        [InlineData("GET", "https://h/compatible-mode/v1/files/file-fe-1", "FileManagement")]
        [InlineData("DELETE", "https://h/compatible-mode/v1/files/file-fe-1", "FileManagement")]
        [InlineData("GET", "https://h/compatible-mode/v1/files/file-batch_output-1/content", "FileManagement")]
        [InlineData("POST", "https://h/compatible-mode/v1/chat/completions", "Other")]
        [InlineData("POST", "https://h/compatible-mode/v1/filesystem", "Other")]
        public void Requests_are_classified_by_method_and_path(string method, string uri, string kind)
        {
            Assert.Equal(kind, RequestGate.Classify(new HttpMethod(method), new Uri(uri)).ToString());
        }
    }
}
