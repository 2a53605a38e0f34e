using System;
using System.Collections.Generic;
using System.Linq;

namespace QwenPS.TestServer;

/// <summary>
/// One batch job. <see cref="BatchStore"/> hands out snapshots (copies), so a test can read one without racing the
/// server; the live object is changed only under the store's lock.
/// </summary>
public sealed class StoredBatch
{
    private readonly int _inProgressPolls;
    private int _inProgressSeen;
    private int _processed;

    internal StoredBatch(string id, string endpoint, string inputFileId, string completionWindow, IReadOnlyDictionary<string, string> metadata,
        long createdAt, BatchPlan plan, int inProgressPolls)
    {
        Id = id;
        Endpoint = endpoint;
        InputFileId = inputFileId;
        CompletionWindow = completionWindow;
        Metadata = metadata;
        CreatedAt = createdAt;
        ExpiresAt = createdAt + plan.WindowSeconds;
        Plan = plan;
        _inProgressPolls = inProgressPolls;
    }

    public string Id { get; }

    public string Endpoint { get; }

    public string InputFileId { get; }

    public string CompletionWindow { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public string Status { get; private set; } = "validating";

    /// <summary>GET /batches/{id} requests that have seen this batch.</summary>
    public int Polls { get; private set; }

    /// <summary>Whether POST /batches/{id}/cancel was accepted for this batch.</summary>
    public bool CancelRequested => CancellingAt.HasValue;

    public long CreatedAt { get; }

    public long ExpiresAt { get; }

    public long? InProgressAt { get; private set; }

    public long? FinalizingAt { get; private set; }

    public long? CompletedAt { get; private set; }

    public long? FailedAt { get; private set; }

    public long? ExpiredAt { get; private set; }

    public long? CancellingAt { get; private set; }

    public long? CancelledAt { get; private set; }

    /// <summary>request_counts.total: 0 while validating, then the number of requests.</summary>
    public int Total { get; private set; }

    public int Completed => Plan.Results.Take(_processed).Count(r => !r.IsError);

    public int Failed => Plan.Results.Take(_processed).Count(r => r.IsError);

    public string? OutputFileId { get; private set; }

    public string? ErrorFileId { get; private set; }

    /// <summary>The batch-level errors of a failed batch (validation, or the forced failure).</summary>
    public IReadOnlyList<BatchError> Errors { get; private set; } = Array.Empty<BatchError>();

    /// <summary>The result lines the service has produced so far, in service order.</summary>
    public IEnumerable<BatchResultLine> ProcessedResults => Plan.Results.Take(_processed);

    internal BatchPlan Plan { get; }

    internal bool IsTerminal => Status is "completed" or "failed" or "expired" or "cancelled";

    internal StoredBatch Snapshot() => (StoredBatch)MemberwiseClone();

    internal void Advance(long now, Func<StoredBatch, (string? OutputFileId, string? ErrorFileId)> publish)
    {
        Polls++;
        switch (Status)
        {
            case "validating":
                if (Plan.Errors.Count > 0)
                {
                    Fail(now, Plan.Errors);
                }
                else if (Plan.Outcome == BatchOutcome.Failed)
                {
                    Fail(now, [new BatchError("InternalError", "The batch failed (the test server's outcome setting is 'failed').", null)]);
                }
                else
                {
                    Status = "in_progress";
                    InProgressAt = now;
                    Total = Plan.Results.Count;
                    _inProgressSeen = 1;
                }

                break;
            case "in_progress":
                _inProgressSeen++;
                if (_inProgressSeen <= _inProgressPolls)
                {
                    _processed = (int)((long)Total * (_inProgressSeen - 1) / _inProgressPolls);
                }
                else if (Plan.Outcome == BatchOutcome.Expired)
                {
                    _processed = Total / 2;
                    Status = "expired";
                    ExpiredAt = now;
                    Publish(publish);
                }
                else
                {
                    _processed = Total;
                    Status = "finalizing";
                    FinalizingAt = now;
                }

                break;
            case "finalizing":
                Status = "completed";
                CompletedAt = now;
                Publish(publish);
                break;
            case "cancelling":
                Status = "cancelled";
                CancelledAt = now;
                Publish(publish);
                break;
        }
    }

    internal bool RequestCancel(long now)
    {
        if (IsTerminal)
        {
            return false;
        }

        if (Status != "cancelling")
        {
            Status = "cancelling";
            CancellingAt = now;
        }

        return true;
    }

    private void Fail(long now, IReadOnlyList<BatchError> errors)
    {
        Status = "failed";
        FailedAt = now;
        Errors = errors;
    }

    private void Publish(Func<StoredBatch, (string? OutputFileId, string? ErrorFileId)> publish)
    {
        (OutputFileId, ErrorFileId) = publish(this);
    }
}

/// <summary>One batch-level error (the "errors.data" items of a failed batch). Line is 1-based, or null.</summary>
public sealed record BatchError(string Code, string Message, int? Line);

/// <summary>One result line as the service will write it. <paramref name="InputLine"/> is 1-based.</summary>
public sealed record BatchResultLine(string CustomId, int InputLine, bool IsError, string Json);

/// <summary>What a batch will do, decided when it is created: validation errors, or every result in service order.</summary>
internal sealed record BatchPlan(IReadOnlyList<BatchError> Errors, IReadOnlyList<BatchResultLine> Results, BatchOutcome Outcome, long WindowSeconds);
