using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Benchmarks.Memory;
using QwenPS.Benchmarks.Report;

namespace QwenPS.Benchmarks.Batch
{
    /// <summary>
    /// Scenario 5: a batch input file built and a batch result file parsed, at two sizes (a tenth and the whole), each in
    /// a fresh child process so the peak memory is the run's own: time, peak RSS growth and peak GC heap growth. The
    /// targets: growth well under 64 MB at 50,000 lines, and time linear in the line count (the large run takes about
    /// ten times the small one).
    /// </summary>
    internal static class BatchScenario
    {
        public const string ChildSwitch = "--batch-child";
        private const long MB = 1024 * 1024;
        private const double TargetMb = 64;
        private const int Rounds = 3;

        public static async Task<ResultTable> RunAsync(bool quick)
        {
            int large = quick ? 20_000 : 50_000;
            int small = large / 10;
            string directory = Path.Combine(Path.GetTempPath(), "qwenps-bench-batch-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            try
            {
                var rows = new List<(string Work, int Lines, ChildResult Result)>();
                foreach (int lines in new[] { small, large })
                {
                    rows.Add(("build", lines, await RunChildAsync("build", lines, directory).ConfigureAwait(false)));
                }

                foreach (int lines in new[] { small, large })
                {
                    string results = Path.Combine(directory, "results-" + lines.ToString(CultureInfo.InvariantCulture) + ".jsonl");
                    BatchPaths.WriteResultFile(results, lines);
                    rows.Add(("parse", lines, await RunChildAsync("parse", lines, results).ConfigureAwait(false)));
                }

                return Table(rows, large, small);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        /// <summary>Three fresh child processes, the one with the median time: a shared machine's noise lands on one run.</summary>
        private static async Task<ChildResult> RunChildAsync(string work, int lines, string path)
        {
            var runs = new List<ChildResult>();
            for (int i = 0; i < Rounds; i++)
            {
                runs.Add(await RunOneChildAsync(work, lines, path).ConfigureAwait(false));
            }

            return runs.OrderBy(r => r.Seconds).ElementAt(Rounds / 2);
        }

        private static async Task<ChildResult> RunOneChildAsync(string work, int lines, string path)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string argument in new[] { typeof(BatchScenario).Assembly.Location, ChildSwitch, work, lines.ToString(CultureInfo.InvariantCulture), path })
            {
                start.ArgumentList.Add(argument);
            }

            using Process child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
            string output = await child.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await child.WaitForExitAsync().ConfigureAwait(false);
            string? line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
            if (child.ExitCode != 0 || line == null)
            {
                throw new InvalidOperationException("The batch " + work + " child failed (exit " + child.ExitCode + "): " + output);
            }

            ChildResult result = JsonSerializer.Deserialize<ChildResult>(line)!;
            if (result.Records != lines)
            {
                throw new InvalidOperationException("The batch " + work + " child handled " + result.Records + " of " + lines + " lines.");
            }

            return result;
        }

        /// <summary>In the child: a warm-up of 1,000 lines, then the measured run; prints one JSON line.</summary>
        public static int RunChild(string[] args)
        {
            string work = args[0];
            int lines = int.Parse(args[1], CultureInfo.InvariantCulture);
            string path = args[2];
            Func<int, (long Bytes, long Records)> run;
            if (work == "build")
            {
                run = count =>
                {
                    string file = Path.Combine(path, "input-" + count.ToString(CultureInfo.InvariantCulture) + ".jsonl");
                    return BatchPaths.Build(file, path, count);
                };
                BatchPaths.WriteResultFile(Path.Combine(path, "warm-up.jsonl"), 1000);
            }
            else
            {
                string warmUp = path + ".warm-up";
                BatchPaths.WriteResultFile(warmUp, 1000);
                run = count => BatchPaths.Parse(count == lines ? path : warmUp);
            }

            for (int i = 0; i < 3; i++)
            {
                run(1000);
                Thread.Sleep(200);
            }

            long bytes = 0, records = 0;
            PeakMemory.Peak peak = PeakMemory.MeasureAsync(() =>
            {
                (bytes, records) = run(lines);
                return Task.CompletedTask;
            }).GetAwaiter().GetResult();
            long retained = GC.GetTotalMemory(forceFullCollection: true) - peak.HeapBefore;
            Console.WriteLine(JsonSerializer.Serialize(new ChildResult(peak.RssBefore, peak.PeakRss, peak.HeapBefore, peak.PeakHeap, retained, bytes, records, peak.Seconds)));
            return 0;
        }

        private static ResultTable Table(List<(string Work, int Lines, ChildResult Result)> rows, int large, int small)
        {
            var table = new ResultTable(
                "5. Batch: input file built and result file parsed (each run in a fresh child process after a warm-up; median of 3 runs)",
                "Work", "Lines", "File", "Time", "Peak RSS growth", "Peak GC heap growth", "Held after a full GC");
            foreach ((string work, int lines, ChildResult result) in rows)
            {
                table.Add(
                    work == "build" ? "Start-QwenBatch's writer: JSONL + mapping file, limits checked" : "Receive-QwenBatch's reader: lines parsed into QwenBatchResult",
                    Format.Int(lines),
                    Format.Mb(result.Bytes),
                    Format.Number(result.Seconds, "0.00") + " s",
                    Format.Mb(result.PeakRss - result.RssBefore),
                    Format.Mb(result.PeakHeap - result.HeapBefore),
                    Format.Mb(Math.Max(0, result.Retained)));
            }

            foreach (string work in new[] { "build", "parse" })
            {
                ChildResult big = rows.Single(r => r.Work == work && r.Lines == large).Result;
                ChildResult little = rows.Single(r => r.Work == work && r.Lines == small).Result;
                double growth = (big.PeakRss - big.RssBefore) / (double)MB;
                table.Target(work + " " + Format.Int(large) + " lines: peak memory growth well under 64 MB", growth < TargetMb / 2, Format.Number(growth, "0.0") + " MB RSS");
                double ratio = big.Seconds / little.Seconds;
                table.Target(work + ": linear time (" + Format.Int(large) + " lines take about 10× " + Format.Int(small) + ")", ratio < 15, Format.Number(ratio, "0.0") + "×");
            }

            table.Note("Peak GC heap growth counts garbage not yet collected (it follows the runtime's gen-0 budget); \"held after a full GC\" is what the run leaves behind once it is over (0: nothing leaks).");
            table.Note("\"Well under\" is read as half the 64 MB, 32 MB. The ratio allows 15× for noise on a shared machine; a quadratic step would show 100×.");
            return table;
        }
    }

    internal sealed record ChildResult(long RssBefore, long PeakRss, long HeapBefore, long PeakHeap, long Retained, long Bytes, long Records, double Seconds);
}
