using System;
using System.Collections.Generic;
using System.Linq;

namespace QwenPS.TestServer;

/// <summary>
/// The in-memory Batch API store (see README "Batch API"). Thread-safe. Each GET /batches/{id} advances a batch one
/// step of its lifecycle; the settings below are read when a batch is created, so a batch keeps the plan it
/// started with even if a test changes them later.
/// </summary>
public sealed class BatchStore
{
    public const int DefaultInProgressPolls = 2;

    private readonly object _gate = new();
    private readonly Dictionary<string, StoredBatch> _batches = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();
    private int _inProgressPolls = DefaultInProgressPolls;
    private BatchOutcome _outcome = BatchOutcome.Completed;
    private BatchOutputOrder _outputOrder = BatchOutputOrder.Shuffled;
    private BatchErrorLineStyle _errorLineStyle = BatchErrorLineStyle.Mixed;

    /// <summary>Polls that answer "in_progress" before the batch moves on (default 2, at least 1). The j-th of them
    /// reports floor(total × (j − 1) / n) requests done, so a client sees request_counts grow.</summary>
    public int InProgressPolls
    {
        get { lock (_gate) { return _inProgressPolls; } }
        set { lock (_gate) { _inProgressPolls = Math.Max(1, value); } }
    }

    /// <summary>How a valid batch ends: completed (default), failed (a fatal error after validation) or expired.</summary>
    public BatchOutcome Outcome
    {
        get { lock (_gate) { return _outcome; } }
        set { lock (_gate) { _outcome = value; } }
    }

    /// <summary>The order of the result lines: shuffled (default, by a hash of the custom id), input or reversed.</summary>
    public BatchOutputOrder OutputOrder
    {
        get { lock (_gate) { return _outputOrder; } }
        set { lock (_gate) { _outputOrder = value; } }
    }

    /// <summary>How error-file lines name their reason (the documentation shows two spellings).</summary>
    public BatchErrorLineStyle ErrorLineStyle
    {
        get { lock (_gate) { return _errorLineStyle; } }
        set { lock (_gate) { _errorLineStyle = value; } }
    }

    public int Count
    {
        get { lock (_gate) { return _batches.Count; } }
    }

    public StoredBatch? Get(string id)
    {
        lock (_gate)
        {
            return _batches.TryGetValue(id, out StoredBatch? batch) ? batch.Snapshot() : null;
        }
    }

    /// <summary>All batches, newest first (the order GET /batches lists them in).</summary>
    public IReadOnlyList<StoredBatch> List()
    {
        lock (_gate)
        {
            return Enumerable.Reverse(_order).Select(id => _batches[id].Snapshot()).ToList();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _batches.Clear();
            _order.Clear();
        }
    }

    /// <summary>Restores InProgressPolls, Outcome, OutputOrder and ErrorLineStyle to their defaults.</summary>
    public void ResetSettings()
    {
        lock (_gate)
        {
            _inProgressPolls = DefaultInProgressPolls;
            _outcome = BatchOutcome.Completed;
            _outputOrder = BatchOutputOrder.Shuffled;
            _errorLineStyle = BatchErrorLineStyle.Mixed;
        }
    }

    internal StoredBatch Add(BatchPlan plan, string endpoint, string inputFileId, string completionWindow,
        IReadOnlyDictionary<string, string> metadata, long now)
    {
        lock (_gate)
        {
            string id = "batch_" + Guid.NewGuid().ToString("D");
            var batch = new StoredBatch(id, endpoint, inputFileId, completionWindow, metadata, now, plan, _inProgressPolls);
            _batches[id] = batch;
            _order.Add(id);
            return batch.Snapshot();
        }
    }

    /// <summary>The plan settings as they are now (captured by a new batch).</summary>
    internal (BatchOutcome Outcome, BatchOutputOrder Order, BatchErrorLineStyle Style) CurrentPlanSettings()
    {
        lock (_gate)
        {
            return (_outcome, _outputOrder, _errorLineStyle);
        }
    }

    /// <summary>GET /batches/{id}: one step of the lifecycle. <paramref name="publish"/> stores the result files
    /// when the batch reaches a terminal state that has results.</summary>
    internal StoredBatch? Poll(string id, long now, Func<StoredBatch, (string? OutputFileId, string? ErrorFileId)> publish)
    {
        lock (_gate)
        {
            if (!_batches.TryGetValue(id, out StoredBatch? batch))
            {
                return null;
            }

            batch.Advance(now, publish);
            return batch.Snapshot();
        }
    }

    /// <summary>POST /batches/{id}/cancel. Null when the id is unknown; the batch unchanged (and false) when it is
    /// already in a terminal state.</summary>
    internal (StoredBatch? Batch, bool Accepted) Cancel(string id, long now)
    {
        lock (_gate)
        {
            if (!_batches.TryGetValue(id, out StoredBatch? batch))
            {
                return (null, false);
            }

            bool accepted = batch.RequestCancel(now);
            return (batch.Snapshot(), accepted);
        }
    }
}
