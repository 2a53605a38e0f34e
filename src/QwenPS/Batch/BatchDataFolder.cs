using System;
using System.IO;
using System.Linq;
using QwenPS.Engine;

namespace QwenPS.Batch
{
    /// <summary>
    /// Where the batch mapping files live: the batches folder of the shared data folder (<see cref="QwenDataFolder"/>:
    /// <c>$env:QWENPS_DATA_HOME</c>, else <c>%LOCALAPPDATA%\QwenPS</c> on Windows, <c>$XDG_DATA_HOME/QwenPS</c> or
    /// <c>~/.local/share/QwenPS</c> elsewhere).
    /// </summary>
    internal static class BatchDataFolder
    {
        /// <summary>The name start of a mapping file still being written (renamed after the batch id once it exists).</summary>
        public const string PendingPrefix = "pending-";

        /// <summary>
        /// How old a mapping file may grow before a new Start-QwenBatch deletes it: DashScope retrieves only the batches of the
        /// last 30 days (docs/dashscope-notes.md, "Batch"), and a batch ends within its completion window (at most 14 days),
        /// so after 30 days Receive-QwenBatch can no longer use the file.
        /// </summary>
        public static readonly TimeSpan MaxMappingAge = TimeSpan.FromDays(30);

        /// <summary>A pending file this old was left by a Start-QwenBatch that was killed (a normal one deletes or renames it).</summary>
        public static readonly TimeSpan MaxPendingAge = TimeSpan.FromDays(1);

        public static string Resolve(Func<string, string?> environment) => Path.Combine(QwenDataFolder.Resolve(environment), "batches");

        /// <summary>The mapping file of a batch; null for an id that is not a safe file name (it never came from us).</summary>
        public static string? MappingPath(string folder, string batchId)
        {
            bool safe = batchId.Length > 0 && batchId.Length <= 200
                && batchId.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.')
                && batchId.Trim('.').Length > 0;
            return safe ? Path.Combine(folder, batchId + ".jsonl") : null;
        }

        /// <summary>
        /// Deletes the mapping files last written more than <see cref="MaxMappingAge"/> before <paramref name="now"/>, and the
        /// pending files older than <see cref="MaxPendingAge"/>; returns how many went. A file that cannot be deleted is left.
        /// </summary>
        public static int Prune(string folder, DateTime now)
        {
            if (!Directory.Exists(folder))
            {
                return 0;
            }

            int deleted = 0;
            foreach (FileInfo file in new DirectoryInfo(folder).EnumerateFiles("*.jsonl"))
            {
                TimeSpan age = now - file.LastWriteTimeUtc;
                bool pending = file.Name.StartsWith(PendingPrefix, StringComparison.Ordinal);
                if (age > (pending ? MaxPendingAge : MaxMappingAge) && TryDelete(file.FullName))
                {
                    deleted++;
                }
            }

            return deleted;
        }

        /// <summary>Deletes the mapping file of a batch; false when there is none (or the id is not a safe file name).
        /// A file that cannot be deleted is a FileWriteFailed <see cref="QwenException"/>.</summary>
        public static bool Remove(string folder, string batchId)
        {
            string? path = MappingPath(folder, batchId);
            if (path == null || !File.Exists(path))
            {
                return false;
            }

            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new QwenException(QwenErrorIds.FileWriteFailed, QwenErrorCategory.WriteError, "Could not delete '" + path + "': " + ex.Message, ex) { Target = path };
            }

            return true;
        }

        private static bool TryDelete(string path)
        {
            try
            {
                File.Delete(path);
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
