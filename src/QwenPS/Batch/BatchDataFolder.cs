using System;
using System.IO;
using System.Linq;

namespace QwenPS.Batch
{
    /// <summary>
    /// Where the batch mapping files live: <c>$env:QWENPS_DATA_DIR/batches</c> when set, else the per-user data folder
    /// (<c>%LOCALAPPDATA%\QwenPS\batches</c> on Windows, <c>~/.local/share/QwenPS/batches</c> or
    /// <c>$XDG_DATA_HOME/QwenPS/batches</c> elsewhere).
    /// </summary>
    internal static class BatchDataFolder
    {
        public const string EnvironmentVariable = "QWENPS_DATA_DIR";

        public static string Resolve(Func<string, string?> environment)
        {
            string? root = environment(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(root))
            {
                string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
                root = string.IsNullOrEmpty(data) ? Path.Combine(Path.GetTempPath(), "QwenPS") : Path.Combine(data, "QwenPS");
            }

            return Path.Combine(root, "batches");
        }

        /// <summary>The mapping file of a batch; null for an id that is not a safe file name (it never came from us).</summary>
        public static string? MappingPath(string folder, string batchId)
        {
            bool safe = batchId.Length > 0 && batchId.Length <= 200
                && batchId.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.')
                && batchId.Trim('.').Length > 0;
            return safe ? Path.Combine(folder, batchId + ".jsonl") : null;
        }
    }
}
