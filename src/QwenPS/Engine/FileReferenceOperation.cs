using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace QwenPS.Engine
{
    /// <summary>Add-QwenFileReference's behaviour: upload, wait until processed, and build the fileid:// message.</summary>
    internal static class FileReferenceOperation
    {
        /// <summary>qwen-long reads at most 100 file ids per request (reference §5).</summary>
        public const int MaxFileIds = 100;

        public static readonly TimeSpan DefaultProcessingTimeout = TimeSpan.FromSeconds(300);

        /// <summary>One system message <c>fileid://a,fileid://b</c> (comma-separated, no spaces).</summary>
        public static QwenMessage BuildReference(IReadOnlyList<string> fileIds)
        {
            if (fileIds.Count == 0)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "No file id to reference.");
            }

            if (fileIds.Count > MaxFileIds)
            {
                throw TooManyIds(fileIds.Count);
            }

            var parts = new List<string>(fileIds.Count);
            foreach (string raw in fileIds)
            {
                string id = (raw ?? string.Empty).Trim();
                if (id.StartsWith(QwenMessage.FileReferencePrefix, StringComparison.Ordinal))
                {
                    id = id.Substring(QwenMessage.FileReferencePrefix.Length);
                }

                if (id.Length == 0 || id.IndexOf(',') >= 0 || HasWhiteSpace(id))
                {
                    throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "'" + raw + "' is not a file id.") { Target = raw };
                }

                parts.Add(QwenMessage.FileReferencePrefix + id);
            }

            return new QwenMessage(QwenRole.System, string.Join(",", parts));
        }

        /// <summary>Checks every file first (nothing is sent if one is bad), then uploads each and waits for it.</summary>
        public static async Task<QwenMessage> UploadAndReferenceAsync(QwenClient client, IReadOnlyList<string> paths, TimeSpan processingTimeout, CancellationToken cancellationToken)
        {
            if (paths.Count > MaxFileIds)
            {
                throw TooManyIds(paths.Count);
            }

            foreach (string path in paths)
            {
                FileUploadRules.Check(path);
            }

            var uploaded = new List<QwenFileInfo>(paths.Count);
            foreach (string path in paths)
            {
                uploaded.Add(await client.UploadFileAsync(path, QwenClient.FileExtractPurpose, cancellationToken).ConfigureAwait(false));
            }

            var ids = new List<string>(uploaded.Count);
            foreach (QwenFileInfo file in uploaded)
            {
                QwenFileInfo processed = await client.WaitForFileAsync(file, processingTimeout, cancellationToken).ConfigureAwait(false);
                client.Settings.Output.WriteVerbose("File id for '" + (processed.FileName ?? file.FileName) + "': " + processed.Id);
                ids.Add(processed.Id);
            }

            return BuildReference(ids);
        }

        private static QwenException TooManyIds(int count) =>
            new QwenException(
                QwenErrorIds.InvalidArgument,
                QwenErrorCategory.LimitsExceeded,
                "qwen-long takes at most " + MaxFileIds + " file ids in one request; got " + count + ".");

        private static bool HasWhiteSpace(string text)
        {
            foreach (char c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
