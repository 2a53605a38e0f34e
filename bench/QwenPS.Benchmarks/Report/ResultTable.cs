using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace QwenPS.Benchmarks.Report
{
    /// <summary>One scenario's results: a markdown table plus the target verdicts and notes under it.</summary>
    internal sealed class ResultTable
    {
        private readonly List<string[]> _rows = new List<string[]>();
        private readonly List<string> _notes = new List<string>();

        public ResultTable(string title, params string[] columns)
        {
            Title = title;
            Columns = columns;
        }

        public string Title { get; }

        public string[] Columns { get; }

        public void Add(params string[] cells)
        {
            if (cells.Length != Columns.Length)
            {
                throw new ArgumentException("Expected " + Columns.Length + " cells.", nameof(cells));
            }

            _rows.Add(cells);
        }

        /// <summary>A target line: "met" or "MISSED" with what was measured against what was wanted.</summary>
        public void Target(string what, bool met, string measured) => _notes.Add("**" + (met ? "met" : "MISSED") + "**: " + what + " (" + measured + ")");

        public void Note(string text) => _notes.Add(text);

        public string ToMarkdown()
        {
            var text = new StringBuilder();
            text.Append("### ").Append(Title).Append("\n\n");
            text.Append("| ").Append(string.Join(" | ", Columns)).Append(" |\n");
            text.Append('|').Append(string.Concat(Columns.Select(c => "---|"))).Append('\n');
            foreach (string[] row in _rows)
            {
                text.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
            }

            if (_notes.Count > 0)
            {
                text.Append('\n');
                foreach (string note in _notes)
                {
                    text.Append("- ").Append(note).Append('\n');
                }
            }

            return text.ToString();
        }
    }

    internal static class Format
    {
        public static string Number(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

        public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

        public static string Ms(double value) => value.ToString(value < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture) + " ms";

        public static string Mb(double bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

        public static string Int(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }

    internal static class Stats
    {
        /// <summary>The p-th percentile (0..100) by nearest rank of an unsorted sample.</summary>
        public static double Percentile(IReadOnlyCollection<double> values, double p)
        {
            double[] sorted = values.OrderBy(v => v).ToArray();
            if (sorted.Length == 0)
            {
                return double.NaN;
            }

            int rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }

        public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);
    }
}
