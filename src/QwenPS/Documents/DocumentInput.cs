using System;
using System.IO;

namespace QwenPS.Documents
{
    /// <summary>
    /// One document of Invoke-QwenDocumentChat, as the user gave it: a local file (to upload, reuse, or send as
    /// text), a file the Files API already holds (a QwenFileInfo from Get-QwenFile), or a bare file id.
    /// </summary>
    internal sealed class DocumentInput
    {
        private DocumentInput(string? localPath, QwenFileInfo? storedFile, string? fileId, object target)
        {
            LocalPath = localPath;
            StoredFile = storedFile;
            FileId = fileId;
            Target = target;
        }

        public string? LocalPath { get; }

        public QwenFileInfo? StoredFile { get; }

        public string? FileId { get; }

        /// <summary>What the user piped (FileInfo, path, QwenFileInfo, id): the target of this document's ErrorRecord.</summary>
        public object Target { get; }

        /// <summary>The result's Document column: the full path, or the file id.</summary>
        public string Display => LocalPath ?? StoredFile?.Id ?? FileId!;

        /// <summary>The result's Name column.</summary>
        public string Name => LocalPath != null ? Path.GetFileName(LocalPath) : StoredFile?.FileName ?? StoredFile?.Id ?? FileId!;

        public static DocumentInput Local(string fullPath, object? target = null) => new DocumentInput(fullPath, null, null, target ?? fullPath);

        public static DocumentInput Stored(QwenFileInfo file) => new DocumentInput(null, file, null, file);

        public static DocumentInput Id(string fileId)
        {
            string id = (fileId ?? string.Empty).Trim();
            if (id.StartsWith(QwenMessage.FileReferencePrefix, StringComparison.Ordinal))
            {
                id = id.Substring(QwenMessage.FileReferencePrefix.Length);
            }

            if (id.Length == 0 || id.IndexOf(',') >= 0 || id.IndexOf(' ') >= 0)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "'" + fileId + "' is not a file id.") { Target = fileId };
            }

            return new DocumentInput(null, null, id, fileId!);
        }

        /// <summary>A string that is not an existing file: a file id when it looks like one (<c>file-…</c>, no path separator).</summary>
        public static bool LooksLikeFileId(string text)
        {
            string trimmed = text.Trim();
            if (trimmed.StartsWith(QwenMessage.FileReferencePrefix, StringComparison.Ordinal))
            {
                return true;
            }

            return trimmed.StartsWith("file-", StringComparison.Ordinal)
                && trimmed.IndexOf('/') < 0 && trimmed.IndexOf('\\') < 0 && trimmed.IndexOf('.') < 0;
        }
    }
}
