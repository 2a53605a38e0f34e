using System;
using System.Collections.Generic;

namespace QwenPS
{
    /// <summary>
    /// A DashScope batch job as the service last reported it. Start-QwenBatch, Get-QwenBatch and Wait-QwenBatch write
    /// it; pipe it to Wait-QwenBatch, Receive-QwenBatch or Stop-QwenBatch. <see cref="MappingPath"/> is the local file
    /// that maps its results back to the inputs, when this machine started it.
    /// </summary>
    public sealed class QwenBatch
    {
        private static readonly IReadOnlyList<QwenBatchError> NoErrors = new QwenBatchError[0];
        private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

        internal QwenBatch(string id, QwenBatchStatus? status, string? statusText)
        {
            Id = id;
            StatusValue = status;
            Status = status?.ToString() ?? statusText ?? "Unknown";
        }

        public string Id { get; }

        /// <summary>The metadata name (ds_name) given to Start-QwenBatch -Name.</summary>
        public string? Name { get; internal set; }

        /// <summary>The metadata description (ds_description).</summary>
        public string? Description { get; internal set; }

        /// <summary>Validating, InProgress, Finalizing, Completed, Failed, Expired, Cancelling or Cancelled (text, so that it
        /// exports as it reads); a status QwenPS does not know yet is shown as the service wrote it.</summary>
        public string Status { get; }

        /// <summary>True once the batch can change no more: Completed, Failed, Expired or Cancelled.</summary>
        public bool IsFinished => StatusValue is QwenBatchStatus s
            && (s == QwenBatchStatus.Completed || s == QwenBatchStatus.Failed || s == QwenBatchStatus.Expired || s == QwenBatchStatus.Cancelled);

        /// <summary>The endpoint every request calls, e.g. <c>/v1/chat/completions</c>.</summary>
        public string? Endpoint { get; internal set; }

        /// <summary>The model, when this machine started the batch (the service does not report it).</summary>
        public string? Model { get; internal set; }

        public string? CompletionWindow { get; internal set; }

        public string? InputFileId { get; internal set; }

        /// <summary>The file of successful results; null until the batch ends, or when nothing succeeded.</summary>
        public string? OutputFileId { get; internal set; }

        /// <summary>The file of failed requests; null until the batch ends, or when nothing failed.</summary>
        public string? ErrorFileId { get; internal set; }

        /// <summary>request_counts.total: the number of requests (0 while the service validates the file).</summary>
        public int Total { get; internal set; }

        public int Completed { get; internal set; }

        public int Failed { get; internal set; }

        public DateTimeOffset? CreatedAt { get; internal set; }

        public DateTimeOffset? InProgressAt { get; internal set; }

        public DateTimeOffset? FinalizingAt { get; internal set; }

        public DateTimeOffset? CompletedAt { get; internal set; }

        public DateTimeOffset? FailedAt { get; internal set; }

        public DateTimeOffset? ExpiredAt { get; internal set; }

        /// <summary>When the completion window closes.</summary>
        public DateTimeOffset? ExpiresAt { get; internal set; }

        public DateTimeOffset? CancellingAt { get; internal set; }

        public DateTimeOffset? CancelledAt { get; internal set; }

        /// <summary>Why a Failed batch failed (empty otherwise).</summary>
        public IReadOnlyList<QwenBatchError> Errors { get; internal set; } = NoErrors;

        /// <summary>Every metadata pair the service returned (ds_name and ds_description included).</summary>
        public IReadOnlyDictionary<string, string> Metadata { get; internal set; } = NoMetadata;

        /// <summary>The local file mapping custom ids to input positions and texts; null when there is none here.</summary>
        public string? MappingPath { get; internal set; }

        /// <summary>The service's request id of the call that returned this state.</summary>
        public string? RequestId { get; internal set; }

        internal QwenBatchStatus? StatusValue { get; }

        public override string ToString() => Id;
    }
}
