using System;

namespace QwenPS
{
    /// <summary>A file stored with the Files API (docs/dashscope-notes.md, "Files API").</summary>
    public sealed class QwenFileInfo
    {
        internal QwenFileInfo(string id, string? fileName, long bytes, string? purpose, string? status, string? statusDetails, DateTimeOffset? createdAt)
        {
            Id = id;
            FileName = fileName;
            Bytes = bytes;
            Purpose = purpose;
            Status = status;
            StatusDetails = statusDetails;
            CreatedAt = createdAt;
        }

        public string Id { get; }

        public string? FileName { get; }

        public long Bytes { get; }

        public string? Purpose { get; }

        /// <summary><c>processing</c> while the service parses the document, then <c>processed</c> (or an error status).</summary>
        public string? Status { get; }

        public string? StatusDetails { get; }

        public DateTimeOffset? CreatedAt { get; }

        /// <summary>The content of a system message that references this file for qwen-long.</summary>
        public string FileReference => QwenMessage.FileReferencePrefix + Id;

        public override string ToString() => Id;
    }
}
