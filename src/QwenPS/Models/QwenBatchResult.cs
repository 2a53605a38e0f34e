using System.Collections.Generic;

namespace QwenPS
{
    /// <summary>
    /// The result of one request of a batch, joined back to its input by <see cref="CustomId"/>. Receive-QwenBatch
    /// writes one per request: Succeeded (Content, Usage…), Failed (Error, ErrorCode) or NotProcessed.
    /// </summary>
    public sealed class QwenBatchResult
    {
        internal QwenBatchResult(string batchId, string customId, QwenBatchResultStatus status)
        {
            BatchId = batchId;
            CustomId = customId;
            StatusValue = status;
        }

        public string BatchId { get; }

        public string CustomId { get; }

        /// <summary>The 0-based position of the request among the inputs, when the mapping is known.</summary>
        public int? Index { get; internal set; }

        /// <summary>The input: the original object when the batch was started in this session, else the text the request
        /// was made from (a document's path for a file); null when no mapping is known.</summary>
        public object? Input { get; internal set; }

        /// <summary>Succeeded, Failed or NotProcessed (text, so that it exports as it reads).</summary>
        public string Status => StatusValue.ToString();

        /// <summary>The answer text (chat requests).</summary>
        public string? Content { get; internal set; }

        /// <summary>The reasoning text, when the model thought.</summary>
        public string? Reasoning { get; internal set; }

        public string? FinishReason { get; internal set; }

        /// <summary>The answer parsed as JSON (PowerShell objects, as ConvertFrom-Json gives them), when the batch asked for JSON
        /// (Start-QwenBatch -AsJson or -JsonSchema) or Receive-QwenBatch -AsObject was given; null otherwise.</summary>
        public object? Value { get; internal set; }

        /// <summary>The vectors of an embeddings request, one per input text.</summary>
        public IReadOnlyList<float[]>? Embeddings { get; internal set; }

        public QwenUsage? Usage { get; internal set; }

        /// <summary>The estimated cost of the request at the batch price (<see cref="QwenUsage.Cost"/>: half the real-time
        /// price, no cache discount); null without usage (failed requests are not billed) or without a price.</summary>
        public QwenCost? Cost => Usage?.Cost;

        public string? Model { get; internal set; }

        /// <summary>The HTTP status the request got inside the batch (200 for a success).</summary>
        public int? StatusCode { get; internal set; }

        public string? RequestId { get; internal set; }

        /// <summary>Why the request failed or did not run; null on success.</summary>
        public string? Error { get; internal set; }

        /// <summary>The service's error code, e.g. <c>data_inspection_failed</c>.</summary>
        public string? ErrorCode { get; internal set; }

        internal QwenBatchResultStatus StatusValue { get; set; }

        public override string ToString() => CustomId + ": " + (Content ?? Error ?? Status);
    }
}
