using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using QwenPS.Benchmarks.Report;

namespace QwenPS.Benchmarks.Decode
{
    /// <summary>Scenario 1: decoding a recorded stream, QwenPS against the OpenAI SDK, SseParser + JsonDocument and a lower bound.</summary>
    internal static class DecodeScenario
    {
        private const int RecordBytes = 24; // a QwenContentChunk/QwenReasoningChunk: object header + one reference

        private static readonly (string Method, string Label, string Does)[] Paths =
        {
            (nameof(StreamDecodeBenchmarks.QwenPS), "QwenPS", "SseReader + ChatChunkDecoder via ChatStreamAggregator: one typed record per chunk, then the aggregated QwenChatResponse"),
            (nameof(StreamDecodeBenchmarks.QwenPSOnSseParser), "QwenPS on SseParser", "the same, with System.Net.ServerSentEvents' SseParser (span item parser) doing the framing"),
            (nameof(StreamDecodeBenchmarks.OpenAISdk), "OpenAI .NET SDK 2.10.0", "CompleteChatStreamingAsync over the recorded bytes: a StreamingChatCompletionUpdate per chunk; content parts, reasoning via the update's JSON patch, finish reason, usage; joined with StringBuilder"),
            (nameof(StreamDecodeBenchmarks.SseParserJsonDocument), "SseParser + JsonDocument", "SseParser string events, JsonDocument.Parse per event, delta strings and usage from the DOM; joined with StringBuilder"),
            (nameof(StreamDecodeBenchmarks.LowerBound), "Lower bound", "split on LF, `data: ` lines, Utf8JsonReader copies the two delta strings into one reused char buffer; no async, no objects"),
        };

        public static async Task<List<ResultTable>> RunAsync(bool quick)
        {
            int chunks = quick ? 10_000 : 100_000;
            RecordedStream recording = RecordedStream.Generate(chunks);
            await VerifyAsync(recording).ConfigureAwait(false);
            StreamDecodeBenchmarks.Chunks = chunks;
            Dictionary<string, (double Ms, double BytesPerOp)> measured = quick ? await MeasureQuickAsync().ConfigureAwait(false) : MeasureWithBenchmarkDotNet();
            return new List<ResultTable> { DecodeTable(recording, measured, quick), FramingTable(recording, measured) };
        }

        /// <summary>Every path must get the same records and text out of the recording before its speed means anything.</summary>
        private static async Task VerifyAsync(RecordedStream recording)
        {
            var expected = new DecodeResult(recording.TextChunks + 1, recording.ReasoningChars, recording.ContentChars, 10 + recording.ReasoningChars + recording.ContentChars);
            using var sdk = new OpenAiSdkDecoder(recording.Bytes);
            DecodeResult[] results =
            {
                await DecodePaths.QwenPsAsync(recording.Bytes).ConfigureAwait(false),
                await DecodePaths.QwenPsOnSseParserAsync(recording.Bytes).ConfigureAwait(false),
                await sdk.DecodeAsync().ConfigureAwait(false),
                await DecodePaths.SseParserJsonDocumentAsync(recording.Bytes).ConfigureAwait(false),
                DecodePaths.LowerBound(recording.Bytes),
            };
            for (int i = 0; i < results.Length; i++)
            {
                if (results[i] != expected)
                {
                    throw new InvalidOperationException(Paths[i].Label + " decoded " + results[i] + ", expected " + expected + ".");
                }
            }
        }

        private static async Task<Dictionary<string, (double, double)>> MeasureQuickAsync()
        {
            var benchmarks = new StreamDecodeBenchmarks();
            benchmarks.Setup();
            try
            {
                var operations = new Dictionary<string, Func<Task>>
                {
                    [nameof(StreamDecodeBenchmarks.QwenPS)] = benchmarks.QwenPS,
                    [nameof(StreamDecodeBenchmarks.QwenPSOnSseParser)] = benchmarks.QwenPSOnSseParser,
                    [nameof(StreamDecodeBenchmarks.OpenAISdk)] = benchmarks.OpenAISdk,
                    [nameof(StreamDecodeBenchmarks.SseParserJsonDocument)] = benchmarks.SseParserJsonDocument,
                    [nameof(StreamDecodeBenchmarks.LowerBound)] = () => Task.FromResult(benchmarks.LowerBound()),
                    [nameof(StreamDecodeBenchmarks.FramingSseReader)] = benchmarks.FramingSseReader,
                    [nameof(StreamDecodeBenchmarks.FramingSseParser)] = benchmarks.FramingSseParser,
                };
                var results = new Dictionary<string, (double, double)>();
                foreach (KeyValuePair<string, Func<Task>> operation in operations)
                {
                    results[operation.Key] = await TimeAsync(operation.Value, warmups: 20, runs: 20).ConfigureAwait(false);
                }

                return results;
            }
            finally
            {
                benchmarks.Cleanup();
            }
        }

        private static async Task<(double Ms, double BytesPerOp)> TimeAsync(Func<Task> operation, int warmups, int runs)
        {
            for (int i = 0; i < warmups; i++)
            {
                await operation().ConfigureAwait(false);
            }

            var times = new List<double>(runs);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < runs; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await operation().ConfigureAwait(false);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            long after = GC.GetTotalAllocatedBytes(precise: true);
            return (Stats.Median(times), (after - before) / (double)runs);
        }

        private static Dictionary<string, (double, double)> MeasureWithBenchmarkDotNet()
        {
            // In-process: no generated project to build (the repo's warnings-as-errors would apply to it), and the
            // statics set above are seen by the benchmark. 2 cores: one launch, a fixed number of iterations.
            Job job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(4).WithIterationCount(12);
            IConfig config = ManualConfig.CreateEmpty()
                .AddJob(job)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .AddLogger(ConsoleLogger.Default)
                .AddExporter(MarkdownExporter.GitHub);
            Summary summary = BenchmarkRunner.Run<StreamDecodeBenchmarks>(config);
            var results = new Dictionary<string, (double, double)>();
            foreach (BenchmarkReport report in summary.Reports)
            {
                if (report.ResultStatistics == null)
                {
                    throw new InvalidOperationException("BenchmarkDotNet has no result for " + report.BenchmarkCase.DisplayInfo + ".");
                }

                string method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
                results[method] = (report.ResultStatistics.Mean / 1e6, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? double.NaN);
            }

            return results;
        }

        private static ResultTable DecodeTable(RecordedStream recording, Dictionary<string, (double Ms, double BytesPerOp)> measured, bool quick)
        {
            int chunks = recording.TextChunks;
            double megabytes = recording.Bytes.Length / (1024.0 * 1024.0);
            var table = new ResultTable(
                "1. Stream decoding: " + Format.Int(chunks) + " chunks, " + Format.Mb(recording.Bytes.Length) + " (" + (quick ? "quick harness" : "BenchmarkDotNet, in-process, 12 iterations") + ")",
                "Path", "What it does", "Time per stream", "MB/s", "Allocated per text chunk", "Time vs QwenPS");
            double ours = measured[nameof(StreamDecodeBenchmarks.QwenPS)].Ms;
            foreach ((string method, string label, string does) in Paths)
            {
                (double ms, double bytes) = measured[method];
                table.Add(label, does, Format.Ms(ms), Format.Number(megabytes / (ms / 1000), "0"), Format.Number(bytes / chunks, "0.0") + " B", Format.Ratio(ms / ours));
            }

            double sdk = measured[nameof(StreamDecodeBenchmarks.OpenAISdk)].Ms;
            double lower = measured[nameof(StreamDecodeBenchmarks.LowerBound)].Ms;
            double textBytes = recording.TextUtf16Bytes / (double)chunks;
            double answerShare = 2.0 * (recording.ReasoningChars + recording.ContentChars) / chunks;
            double budget = textBytes + RecordBytes + answerShare;
            double allocated = measured[nameof(StreamDecodeBenchmarks.QwenPS)].BytesPerOp / chunks;
            table.Target("≥2× the OpenAI SDK's throughput", sdk / ours >= 2, "QwenPS is " + Format.Ratio(sdk / ours) + " faster");
            table.Target("within 1.5× of the lower bound's time", ours / lower <= 1.5, "QwenPS takes " + Format.Ratio(ours / lower) + " the lower bound's time");
            table.Target(
                "allocations per chunk no more than the chunk's text",
                allocated <= budget,
                Format.Number(allocated, "0.0") + " B per chunk; the text itself is " + Format.Number(budget, "0.0") + " B: its string " + Format.Number(textBytes, "0.0")
                + " B (" + Format.Number((recording.ReasoningChars + recording.ContentChars) / (double)chunks, "0.00") + " chars on average) + the record holding it " + RecordBytes
                + " B + its copy in the aggregated answer " + Format.Number(answerShare, "0.0") + " B");
            return table;
        }

        private static ResultTable FramingTable(RecordedStream recording, Dictionary<string, (double Ms, double BytesPerOp)> measured)
        {
            var table = new ResultTable("1b. SSE framing alone (same recording; data bytes of each event handed out, nothing decoded)", "Framing", "Time per stream", "Allocated per stream", "Time vs SseReader");
            double ours = measured[nameof(StreamDecodeBenchmarks.FramingSseReader)].Ms;
            foreach ((string method, string label) in new[] { (nameof(StreamDecodeBenchmarks.FramingSseReader), "QwenPS SseReader"), (nameof(StreamDecodeBenchmarks.FramingSseParser), "System.Net.ServerSentEvents SseParser") })
            {
                (double ms, double bytes) = measured[method];
                table.Add(label, Format.Ms(ms), Format.Int((long)bytes) + " B", Format.Ratio(ms / ours));
            }

            return table;
        }
    }
}
