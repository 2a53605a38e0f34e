using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Engine;

namespace QwenPS.Files
{
    /// <summary>Add-QwenFileReference's behaviour: upload, wait until processed, and build the fileid:// message.</summary>
    internal static class FileReferenceOperation
    {
        /// <summary>qwen-long reads at most 100 file ids per request (docs/dashscope-notes.md, "Long documents (qwen-long)").</summary>
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

        /// <summary>
        /// The reference message for <paramref name="sources"/>, in their order: local files are uploaded first (all
        /// of them, so the service processes them side by side), then every file not yet processed is waited for.
        /// </summary>
        public static async Task<QwenMessage> ReferenceAsync(QwenClient client, IReadOnlyList<FileReferenceSource> sources, TimeSpan processingTimeout, CancellationToken cancellationToken)
        {
            if (sources.Count > MaxFileIds)
            {
                throw TooManyIds(sources.Count);
            }

            var api = new FilesApi(client.Transport);
            var files = new QwenFileInfo?[sources.Count];
            for (int i = 0; i < sources.Count; i++)
            {
                files[i] = sources[i].LocalPath is string path
                    ? await api.UploadFileAsync(path, FilePurposes.FileExtract, cancellationToken).ConfigureAwait(false)
                    : sources[i].StoredFile;
            }

            var ids = new List<string>(sources.Count);
            for (int i = 0; i < sources.Count; i++)
            {
                QwenFileInfo? file = files[i];
                if (file == null)
                {
                    ids.Add(sources[i].FileId!);
                    continue;
                }

                QwenFileInfo processed = await api.WaitForFileAsync(file, processingTimeout, cancellationToken).ConfigureAwait(false);
                if (sources[i].LocalPath != null)
                {
                    client.Output.WriteVerbose("File id for '" + (processed.FileName ?? file.FileName) + "': " + processed.Id);
                }

                ids.Add(processed.Id);
            }

            return BuildReference(ids);
        }

        /// <summary>The reference message for sources that need no request (ids, and files already processed).</summary>
        public static QwenMessage BuildReference(IReadOnlyList<FileReferenceSource> sources)
        {
            var ids = new List<string>(sources.Count);
            foreach (FileReferenceSource source in sources)
            {
                if (source.NeedsService)
                {
                    throw new InvalidOperationException("A source that needs the service was given to the offline overload.");
                }

                ids.Add(source.FileId ?? source.StoredFile!.Id);
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
