using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Benchmarks.Decode;
using QwenPS.Benchmarks.Memory;
using QwenPS.Benchmarks.Report;
using QwenPS.TestServer;

namespace QwenPS.Benchmarks.Backpressure
{
    /// <summary>
    /// Scenario 5 (issue 14, items 8 and 9): peak memory of a stream consumed the way Invoke-QwenChat consumes it
    /// (engine on the pool, records forwarded by the OutputPump on the calling thread), with a fast consumer and a
    /// slow one (a busy wait per record, like <c>| Out-File</c> or a slow ForEach-Object), and of a runaway stream whose
    /// answer is far larger than any real one. Each run happens in a fresh child process, after a warm-up, as in
    /// scenario 3. Nothing here is asserted in a test: it prints a table.
    /// </summary>
    internal static class BackpressureScenario
    {
        public const string ChildSwitch = "--child-backpressure";
        private const long MB = 1024 * 1024;
        private const int WarmUps = 3;

        public static async Task<ResultTable> RunAsync(bool quick)
        {
            long streamBytes = (quick ? 20 : 100) * MB;
            long runawayBytes = (quick ? 60 : 150) * MB;
            await using DashScopeTestServer server = await DashScopeTestServer.StartAsync().ConfigureAwait(false);
            var results = new List<(string Case, ChildResult Result)>();
            foreach (string consumer in new[] { "fast", "slow" })
            {
                long events = EnqueueTokens(server, streamBytes);
                ChildResult result = await RunChildAsync(consumer, server.BaseUri).ConfigureAwait(false);
                if (result.Records != events + 1)
                {
                    throw new InvalidOperationException("Backpressure scenario: the " + consumer + " consumer saw " + result.Records + " records for " + events + " events.");
                }

                results.Add((consumer, result));
            }

            EnqueueRunaway(server, runawayBytes);
            results.Add(("runaway", await RunChildAsync("runaway", server.BaseUri).ConfigureAwait(false)));
            return Table(results, streamBytes, runawayBytes);
        }

        /// <summary>Warm-ups, then the measured stream of short tokens (as scenario 3); returns its content events.</summary>
        private static long EnqueueTokens(DashScopeTestServer server, long bytes)
        {
            string block = RecordedStream.ContentEvents(200);
            int repeats = (int)(bytes / Encoding.UTF8.GetByteCount(block));
            Enqueue(server, block, 20, repeats);
            return repeats * 200L;
        }

        /// <summary>Content events of 4,000 characters each, far past -MaxResponseSize's default (16 Mi characters).</summary>
        private static void EnqueueRunaway(DashScopeTestServer server, long bytes)
        {
            string block = RecordedStream.Event(RecordedStream.ContentChunk(new string('x', 4000)));
            Enqueue(server, block, 20, (int)(bytes / Encoding.UTF8.GetByteCount(block)));
        }

        private static void Enqueue(DashScopeTestServer server, string block, int warmUpRepeats, int repeats)
        {
            string head = RecordedStream.Event(RecordedStream.RoleChunk());
            string tail = RecordedStream.Event(RecordedStream.FinishChunk()) + RecordedStream.Event(RecordedStream.UsageChunk(10, 10, 0)) + RecordedStream.Event("[DONE]");
            server.Enqueue(ServerBehavior.RawStream(RawSegment.Text(head), RawSegment.Repeat(block, warmUpRepeats), RawSegment.Text(tail)), WarmUps);
            server.Enqueue(ServerBehavior.RawStream(RawSegment.Text(head), RawSegment.Repeat(block, repeats), RawSegment.Text(tail)));
        }

        private static Task<ChildResult> RunChildAsync(string consumer, Uri baseUri) =>
            PeakMemory.RunChildAsync<ChildResult>("backpressure/" + consumer, ChildSwitch, consumer, baseUri.ToString());

        /// <summary>In the child: warm up, reset the peak marks, run the measured stream through the pump, print one JSON line.</summary>
        public static async Task<int> RunChildAsync(string[] args)
        {
            string consumer = args[0];
            var baseUri = new Uri(args[1]);
            using HttpClient http = QwenCalls.CreateHttpClient();
            long records = 0;
            long ticksPerRecord = consumer == "slow" ? Stopwatch.Frequency / 50_000 : 0; // 20 µs per record
            var target = new NullOutput(_ =>
            {
                records++;
                if (ticksPerRecord > 0)
                {
                    long until = Stopwatch.GetTimestamp() + ticksPerRecord;
                    while (Stopwatch.GetTimestamp() < until)
                    {
                        Thread.SpinWait(20);
                    }
                }
            });

            string outcome = string.Empty;
            int contentChars = 0;
            void RunOnce()
            {
                records = 0;
                try
                {
                    QwenChatResponse response = QwenCalls.RunThroughPump(http, baseUri, QwenCalls.Request("Hi", stream: true), target);
                    outcome = "complete";
                    contentChars = response.Content.Length;
                }
                catch (QwenException error)
                {
                    outcome = error.ErrorId;
                    contentChars = error.PartialResponse?.Content.Length ?? 0;
                }
            }

            for (int i = 0; i < WarmUps; i++)
            {
                RunOnce();
                Thread.Sleep(200);
            }

            PeakMemory.Peak peak = await PeakMemory.MeasureAsync(() =>
            {
                RunOnce();
                return Task.CompletedTask;
            }).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(new ChildResult(peak.RssBefore, peak.PeakRss, peak.HeapBefore, peak.PeakHeap, records, contentChars, outcome, peak.Seconds)));
            return 0;
        }

        private static ResultTable Table(List<(string Case, ChildResult Result)> results, long streamBytes, long runawayBytes)
        {
            var table = new ResultTable(
                "5. Backpressure and runaway answers: peak growth of the process, through the OutputPump (each run in a fresh child process, after a warm-up)",
                "Stream", "Consumer", "Outcome", "Answer kept", "Peak RSS growth", "Peak GC heap growth", "Time");
            foreach ((string name, ChildResult result) in results)
            {
                table.Add(
                    name == "runaway" ? Format.Mb(runawayBytes) + " of 4,000-character chunks" : Format.Mb(streamBytes) + ", " + Format.Int(result.Records) + " records",
                    name == "slow" ? "slow: 20 µs per record" : "fast: counts and drops",
                    result.Outcome,
                    Format.Int(result.ContentChars) + " characters",
                    Format.Mb(result.PeakRss - result.RssBefore),
                    Format.Mb(result.PeakHeap - result.HeapBefore),
                    Format.Number(result.Seconds, "0.00") + " s");
            }

            ChildResult fast = results.Single(r => r.Case == "fast").Result;
            ChildResult slow = results.Single(r => r.Case == "slow").Result;
            double fastMb = (fast.PeakRss - fast.RssBefore) / (double)MB;
            double slowMb = (slow.PeakRss - slow.RssBefore) / (double)MB;
            table.Target(
                "peak memory independent of the consumer's speed (slow within 8 MB of fast)",
                slowMb - fastMb < 8,
                "fast " + Format.Number(fastMb, "0.0") + " MB, slow " + Format.Number(slowMb, "0.0") + " MB RSS");
            ChildResult runaway = results.Single(r => r.Case == "runaway").Result;
            double runawayMb = (runaway.PeakRss - runaway.RssBefore) / (double)MB;
            table.Target(
                "a runaway answer is capped: peak growth under 128 MB",
                runawayMb < 128,
                runaway.Outcome + ", " + Format.Number(runawayMb, "0.0") + " MB RSS");
            return table;
        }

        internal sealed record ChildResult(long RssBefore, long PeakRss, long HeapBefore, long PeakHeap, long Records, int ContentChars, string Outcome, double Seconds);
    }
}
