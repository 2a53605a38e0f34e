using System.Text.Json;

namespace QwenPS.Batch
{
    /// <summary>One line of a batch output or error file, read defensively (docs/dashscope-notes.md, "Batch results").</summary>
    internal sealed class BatchResultLine
    {
        /// <summary>1-based line number in its file.</summary>
        public int LineNumber { get; set; }

        public string? CustomId { get; set; }

        /// <summary>The line's own <c>id</c>.</summary>
        public string? LineId { get; set; }

        /// <summary><c>response.status_code</c>.</summary>
        public int? StatusCode { get; set; }

        /// <summary><c>response.request_id</c>, else the line id.</summary>
        public string? RequestId { get; set; }

        /// <summary><c>response.body</c> when it is an object (a chat.completion or embeddings object on success).</summary>
        public JsonElement? Body { get; set; }

        /// <summary>True when the request failed: a non-null <c>error</c>, or a status of 400 or more.</summary>
        public bool IsError { get; set; }

        public string? ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }

        /// <summary>Why the line could not be read (not JSON, no custom_id); null for a readable line.</summary>
        public string? Malformed { get; set; }
    }
}
