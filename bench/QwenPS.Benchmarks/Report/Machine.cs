using System;
using System.IO;
using System.Linq;
using System.Runtime;
using System.Runtime.InteropServices;

namespace QwenPS.Benchmarks.Report
{
    /// <summary>What the numbers were measured on.</summary>
    internal static class Machine
    {
        public static string Describe()
        {
            string cpu = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
            string? memory = ReadField("/proc/meminfo", "MemTotal");
            string memoryText = memory != null && long.TryParse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out long kb)
                ? (kb / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " GiB"
                : "unknown";
            return "- Date: " + DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC\n"
                + "- CPU: " + cpu + ", " + Environment.ProcessorCount + " cores visible to .NET\n"
                + "- Memory: " + memoryText + "\n"
                + "- OS: " + RuntimeInformation.OSDescription + " (" + RuntimeInformation.OSArchitecture + ")\n"
                + "- Runtime: " + RuntimeInformation.FrameworkDescription + ", " + (GCSettings.IsServerGC ? "server" : "workstation") + " GC"
                + (GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : string.Empty) + ", Release build\n";
        }

        /// <summary>The 1-minute load average, where the OS tells it: other work on a shared machine shows up in the timings.</summary>
        public static string LoadAverage()
        {
            const string path = "/proc/loadavg";
            return File.Exists(path) ? File.ReadAllText(path).Split(' ')[0] : "unknown";
        }

        private static string? ReadField(string path, string name)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
            int colon = line?.IndexOf(':') ?? -1;
            return colon < 0 ? null : line!.Substring(colon + 1).Trim();
        }
    }
}
