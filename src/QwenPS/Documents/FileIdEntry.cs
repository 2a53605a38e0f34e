using System;

namespace QwenPS.Documents
{
    /// <summary>One entry of <see cref="FileIdIndex"/>.</summary>
    internal sealed class FileIdEntry
    {
        public FileIdEntry(string id, long bytes, string? fileName, DateTimeOffset? uploadedAt)
        {
            Id = id;
            Bytes = bytes;
            FileName = fileName;
            UploadedAt = uploadedAt;
        }

        public string Id { get; }

        public long Bytes { get; }

        public string? FileName { get; }

        public DateTimeOffset? UploadedAt { get; }
    }
}
