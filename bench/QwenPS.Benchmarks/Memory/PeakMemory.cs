using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace QwenPS.Benchmarks.Memory
{
    /// <summary>What scenarios 3 and 5 share: running one case in a fresh child process, and measuring its peak memory there.</summary>
    internal static class PeakMemory
    {
        /// <summary>Runs this executable with <paramref name="arguments"/> and returns the last JSON line it printed, as <typeparamref name="T"/>.</summary>
        public static async Task<T> RunChildAsync<T>(string what, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(PeakMemory).Assembly.Location);
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
            string output = await child.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await child.WaitForExitAsync().ConfigureAwait(false);
            string? line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
            if (child.ExitCode != 0 || line == null)
            {
                throw new InvalidOperationException("The " + what + " child failed (exit " + child.ExitCode + "): " + output);
            }

            return JsonSerializer.Deserialize<T>(line)!;
        }

        /// <summary>
        /// In a child, after its warm-ups: collects, resets the kernel's peak-RSS mark, runs <paramref name="run"/> while
        /// sampling the GC heap every 2 ms (garbage included: what the process really holds), and returns the marks.
        /// </summary>
        public static async Task<Peak> MeasureAsync(Func<Task> run)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            MemoryScenario.ResetPeakRss();
            long rssBefore = MemoryScenario.Rss("VmRSS");
            long heapBefore = GC.GetTotalMemory(false);
            long peakHeap = heapBefore;
            using var sampling = new CancellationTokenSource();
            Task sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                    await Task.Delay(2).ConfigureAwait(false);
                }
            });
            var clock = Stopwatch.StartNew();
            await run().ConfigureAwait(false);
            double seconds = clock.Elapsed.TotalSeconds;
            sampling.Cancel();
            await sampler.ConfigureAwait(false);
            return new Peak(rssBefore, MemoryScenario.Rss("VmHWM"), heapBefore, Math.Max(peakHeap, GC.GetTotalMemory(false)), seconds);
        }

        internal sealed record Peak(long RssBefore, long PeakRss, long HeapBefore, long PeakHeap, double Seconds);
    }
}
