using System.Collections.Generic;
using System.Text.Json;

namespace QwenPS.Batch.Wire
{
    /// <summary>The batch object (docs/dashscope-notes.md, "Batch"). Every field is optional: the reader never trusts a shape.</summary>
    internal sealed class WireBatch
    {
        public string? Id { get; set; }

        public string? Endpoint { get; set; }

        /// <summary>Null, <c>{"data":[…]}</c> (the OpenAI shape) or a bare array: read by hand.</summary>
        public JsonElement? Errors { get; set; }

        public string? InputFileId { get; set; }

        public string? CompletionWindow { get; set; }

        public string? Status { get; set; }

        public string? OutputFileId { get; set; }

        public string? ErrorFileId { get; set; }

        public long? CreatedAt { get; set; }

        public long? InProgressAt { get; set; }

        public long? ExpiresAt { get; set; }

        public long? FinalizingAt { get; set; }

        public long? CompletedAt { get; set; }

        public long? FailedAt { get; set; }

        public long? ExpiredAt { get; set; }

        public long? CancellingAt { get; set; }

        public long? CancelledAt { get; set; }

        public WireRequestCounts? RequestCounts { get; set; }

        /// <summary>Values are strings on the wire; anything else is shown as its JSON text.</summary>
        public Dictionary<string, JsonElement>? Metadata { get; set; }
    }
}
