using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using QwenPS.Benchmarks.Backpressure;
using QwenPS.Benchmarks.Batch;
using QwenPS.Benchmarks.Decode;
using QwenPS.Benchmarks.Documents;
using QwenPS.Benchmarks.FanOut;
using QwenPS.Benchmarks.Latency;
using QwenPS.Benchmarks.Memory;
using QwenPS.Benchmarks.Omni;
using QwenPS.Benchmarks.Report;

namespace QwenPS.Benchmarks
{
    /// <summary>
    /// dotnet run -c Release --project bench/QwenPS.Benchmarks -- [--quick] [--only decode,latency,memory,fanout,omni,backpressure,batch,documents] [--update-doc docs/performance.md]
    /// Quick mode runs every scenario small (seconds); the full mode uses BenchmarkDotNet for decoding and full sizes
    /// elsewhere. Nothing here asserts timings: it prints tables, and --update-doc writes them into the document.
    /// </summary>
    internal static class Program
    {
        private const string BeginMarker = "<!-- bench:results:begin -->";
        private const string EndMarker = "<!-- bench:results:end -->";

        private static async Task<int> Main(string[] args)
        {
            if (args.Length > 0 && args[0] == MemoryScenario.ChildSwitch)
            {
                return await MemoryScenario.RunChildAsync(args.Skip(1).ToArray()).ConfigureAwait(false);
            }

            if (args.Length > 0 && args[0] == AudioAnswerScenario.ChildSwitch)
            {
                return await AudioAnswerScenario.RunChildAsync(args.Skip(1).ToArray()).ConfigureAwait(false);
            }

            if (args.Length > 0 && args[0] == BackpressureScenario.ChildSwitch)
            {
                return await BackpressureScenario.RunChildAsync(args.Skip(1).ToArray()).ConfigureAwait(false);
            }

            if (args.Length > 0 && args[0] == BatchScenario.ChildSwitch)
            {
                return BatchScenario.RunChild(args.Skip(1).ToArray());
            }

            bool quick = args.Contains("--quick");
            string[] only = (Option(args, "--only") ?? "decode,latency,memory,fanout,omni,backpressure,batch,documents").Split(',', StringSplitOptions.RemoveEmptyEntries);
            string? doc = Option(args, "--update-doc");
            var unknown = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--quick" && a != "--only" && a != "--update-doc").ToList();
            if (unknown.Count > 0)
            {
                Console.Error.WriteLine("Unknown option(s): " + string.Join(", ", unknown) + ". Use --quick, --only decode,latency,memory,fanout,omni,backpressure,batch,documents, --update-doc PATH.");
                return 2;
            }

            var clock = Stopwatch.StartNew();
            string loadAtStart = Machine.LoadAverage();
            var tables = new List<ResultTable>();
            if (only.Contains("decode"))
            {
                tables.AddRange(await DecodeScenario.RunAsync(quick).ConfigureAwait(false));
            }

            if (only.Contains("latency"))
            {
                tables.AddRange(await LatencyScenario.RunAsync(quick).ConfigureAwait(false));
            }

            if (only.Contains("memory"))
            {
                tables.Add(await MemoryScenario.RunAsync(quick).ConfigureAwait(false));
            }

            if (only.Contains("omni"))
            {
                tables.Add(await AudioAnswerScenario.RunAsync(quick).ConfigureAwait(false));
            }

            if (only.Contains("fanout"))
            {
                tables.AddRange(await FanOutScenario.RunAsync(quick).ConfigureAwait(false));
            }

            if (only.Contains("backpressure"))
            {
                tables.Add(await BackpressureScenario.RunAsync(quick).ConfigureAwait(false));
            }

            if (only.Contains("documents"))
            {
                tables.AddRange(await DocumentScenario.RunAsync(quick).ConfigureAwait(false));
            }

            if (only.Contains("batch"))
            {
                tables.Add(await BatchScenario.RunAsync(quick).ConfigureAwait(false));
            }

            var report = new StringBuilder();
            report.Append(quick ? "Measured with `--quick` in " : "Measured by the full run in ")
                .Append(Format.Number(clock.Elapsed.TotalSeconds, "0")).Append(" s on:\n\n").Append(Machine.Describe())
                .Append("- Load average (1 min): ").Append(loadAtStart).Append(" at the start, ").Append(Machine.LoadAverage()).Append(" at the end\n\n");
            foreach (ResultTable table in tables)
            {
                report.Append(table.ToMarkdown()).Append('\n');
            }

            string markdown = report.ToString().TrimEnd() + "\n";
            Console.WriteLine();
            Console.WriteLine(markdown);
            if (doc != null)
            {
                UpdateDocument(doc, markdown);
                Console.WriteLine("Results written into " + doc + ".");
            }

            return 0;
        }

        private static string? Option(string[] args, string name)
        {
            int index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        /// <summary>Replaces what stands between the two result markers, leaving the hand-written text around them.</summary>
        private static void UpdateDocument(string path, string markdown)
        {
            string text = File.ReadAllText(path);
            int begin = text.IndexOf(BeginMarker, StringComparison.Ordinal);
            int end = text.IndexOf(EndMarker, StringComparison.Ordinal);
            if (begin < 0 || end < begin)
            {
                throw new InvalidOperationException(path + " has no " + BeginMarker + " ... " + EndMarker + " block.");
            }

            string updated = text.Substring(0, begin + BeginMarker.Length) + "\n" + markdown + text.Substring(end);
            File.WriteAllText(path, updated);
        }
    }
}
