using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Benchmarks.Report;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Engine;
using QwenPS.Errors;
using QwenPS.Files;
using QwenPS.Files.Wire;
using QwenPS.Output;

namespace QwenPS.Benchmarks.Latency
{
    /// <summary>
    /// Scenario 2: how long after the server sends a chunk its record reaches the consumer, and the time to the
    /// first record, over loopback. Baseline: a raw HttpClient read loop that stamps each event when the read
    /// that completes it returns (bytes in hand, nothing decoded).
    /// </summary>
    internal static class LatencyScenario
    {
        /// <summary>Runs one stream; returns when the request started and when each text record arrived (Stopwatch ticks).</summary>
        private delegate Task<(long Start, long[] Arrivals)> StreamPath(HttpClient http, Uri baseUri, int chunks);

        public static async Task<List<ResultTable>> RunAsync(bool quick)
        {
            int chunks = quick ? 30 : 200;
            int rounds = quick ? 1 : 5;
            TimeSpan interval = TimeSpan.FromMilliseconds(quick ? 5 : 10);
            using var server = new TimedSseServer(chunks, interval);
            using var raw = new HttpClient();
            using HttpClient ours = QwenCalls.CreateHttpClient();
            var paths = new (string Label, HttpClient Http, StreamPath Run)[]
            {
                ("Raw HttpClient read loop (baseline)", raw, RawAsync),
                ("QwenPS: ChatApi.ChatAsync, onRecord", ours, ChatAsync),
                ("QwenPS: Invoke-QwenChat path (OutputPump to the pipeline thread)", ours, PumpAsync),
            };

            // One short stream each first, so JIT and connection set-up are not measured.
            foreach (var path in paths)
            {
                await path.Run(path.Http, server.BaseUri, chunks).ConfigureAwait(false);
            }

            var delays = paths.Select(_ => new List<double>()).ToArray();
            var firstRecords = paths.Select(_ => new List<double>()).ToArray();
            var unbuffered = paths.Select(_ => true).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                for (int p = 0; p < paths.Length; p++)
                {
                    (long start, long[] arrivals) = await paths[p].Run(paths[p].Http, server.BaseUri, chunks).ConfigureAwait(false);
                    long[] writes = server.LastWrites;
                    for (int i = 0; i < chunks; i++)
                    {
                        delays[p].Add(Stopwatch.GetElapsedTime(writes[i], arrivals[i]).TotalMilliseconds);
                    }

                    firstRecords[p].Add(Stopwatch.GetElapsedTime(start, arrivals[0]).TotalMilliseconds);
                    unbuffered[p] &= arrivals[0] < writes[1];
                }
            }

            var table = new ResultTable(
                "2. Latency on loopback: " + rounds + " stream(s) × " + chunks + " chunks, " + interval.TotalMilliseconds + " ms apart (delay = record in the consumer's hands − chunk sent by the server)",
                "Path", "Time to first record (median)", "Delay median", "p90", "p99", "max", "Added median delay vs raw", "First record out before 2nd chunk sent");
            double rawMedian = Stats.Median(delays[0]);
            for (int p = 0; p < paths.Length; p++)
            {
                table.Add(
                    paths[p].Label,
                    Format.Ms(Stats.Median(firstRecords[p])),
                    Format.Ms(Stats.Median(delays[p])),
                    Format.Ms(Stats.Percentile(delays[p], 90)),
                    Format.Ms(Stats.Percentile(delays[p], 99)),
                    Format.Ms(delays[p].Max()),
                    p == 0 ? "—" : Format.Ms(Stats.Median(delays[p]) - rawMedian),
                    unbuffered[p] ? "yes, every stream" : "NO");
            }

            for (int p = 1; p < paths.Length; p++)
            {
                double added = Stats.Median(delays[p]) - rawMedian;
                table.Target(paths[p].Label + ": median added delay under 1 ms", added < 1, Format.Ms(added));
                table.Target(paths[p].Label + ": no buffering (first record out before the second chunk is written)", unbuffered[p], unbuffered[p] ? "in every stream" : "not in every stream");
            }

            return new List<ResultTable> { table };
        }

        /// <summary>The baseline: read the body as it comes and stamp each event ("\n\n") when its bytes are in.</summary>
        private static async Task<(long, long[])> RawAsync(HttpClient http, Uri baseUri, int chunks)
        {
            long start = Stopwatch.GetTimestamp();
            var arrivals = new long[chunks];
            using HttpRequestMessage request = QwenCalls.RawChat(baseUri, QwenCalls.Body(QwenCalls.Request("Hi", stream: true)));
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            using Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new byte[16 * 1024];
            int events = 0;
            bool lastWasLf = false;
            int read;
            while ((read = await body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                long now = Stopwatch.GetTimestamp();
                for (int i = 0; i < read; i++)
                {
                    bool lf = buffer[i] == (byte)'\n';
                    if (lf && lastWasLf)
                    {
                        // Event 0 is the role chunk; text chunk k is event k + 1.
                        if (events >= 1 && events <= chunks)
                        {
                            arrivals[events - 1] = now;
                        }

                        events++;
                    }

                    lastWasLf = lf;
                }
            }

            return (start, arrivals);
        }

        private static async Task<(long, long[])> ChatAsync(HttpClient http, Uri baseUri, int chunks)
        {
            long start = Stopwatch.GetTimestamp();
            var arrivals = new long[chunks];
            int count = 0;
            await QwenCalls.ChatAsync(http, baseUri, QwenCalls.Request("Hi", stream: true), record =>
            {
                if (record is QwenStreamChunk && count < chunks)
                {
                    arrivals[count++] = Stopwatch.GetTimestamp();
                }
            }).ConfigureAwait(false);
            return (start, arrivals);
        }

        /// <summary>As Invoke-QwenChat -Stream runs: the pump forwards records on this (dedicated) pipeline thread.</summary>
        private static Task<(long, long[])> PumpAsync(HttpClient http, Uri baseUri, int chunks)
        {
            var arrivals = new long[chunks];
            int count = 0;
            var target = new NullOutput(record =>
            {
                if (record is QwenStreamChunk && count < chunks)
                {
                    arrivals[count++] = Stopwatch.GetTimestamp();
                }
            });
            var done = new TaskCompletionSource<(long, long[])>(TaskCreationOptions.RunContinuationsAsynchronously);
            var pipeline = new Thread(() =>
            {
                try
                {
                    // Started here: a runspace's pipeline thread exists before the command runs.
                    long start = Stopwatch.GetTimestamp();
                    QwenCalls.RunThroughPump(http, baseUri, QwenCalls.Request("Hi", stream: true), target);
                    done.SetResult((start, arrivals));
                }
                catch (Exception ex)
                {
                    done.SetException(ex);
                }
            }) { IsBackground = true, Name = "pipeline" };
            pipeline.Start();
            return done.Task;
        }
    }
}
