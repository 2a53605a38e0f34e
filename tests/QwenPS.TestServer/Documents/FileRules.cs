using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace QwenPS.TestServer;

/// <summary>
/// The Files API behaviour a documents-at-scale client has to cope with, on top of <see cref="FileStore"/>'s
/// poll-count model: processing that takes wall-clock time (for every file, or per file by name), files that
/// fail to parse, an upload rate limit answered with 429, and the rule that only batch result files can be
/// downloaded. Thread-safe. <see cref="Reset"/> (called by POST /_control/reset) turns everything off.
/// </summary>
public sealed class FileRules
{
    /// <summary>The 429 message for uploads over <see cref="UploadsPerSecond"/>.</summary>
    public const string RateLimitMessage = "Requests rate limit exceeded, please try again later.";

    /// <summary>The answer to GET /files/{id}/content for a file that is not a batch result (when <see cref="DownloadOnlyBatchResults"/>).</summary>
    public const string NotDownloadableMessage = "Only files with purpose batch_output can be downloaded.";

    private readonly object _gate = new();
    private readonly List<FileRule> _rules = new();
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> _admittedUploads = new();
    private TimeSpan _processingTime;
    private int _uploadsPerSecond;
    private TimeSpan? _uploadRetryAfter;
    private bool _downloadOnlyBatchResults;
    private int _throttledUploads;

    /// <summary>When positive, every upload no rule matches stays "processing" for this long (wall clock), then
    /// takes <see cref="FileStore.FinalStatus"/>; polls do not matter. Zero (default): FileStore's poll-count model.</summary>
    public TimeSpan ProcessingTime
    {
        get { lock (_gate) { return _processingTime; } }
        set { lock (_gate) { _processingTime = value < TimeSpan.Zero ? TimeSpan.Zero : value; } }
    }

    /// <summary>Uploads admitted in any one-second window (by arrival time); the next gets 429. 0 (default): no limit.
    /// The real service allows 3 per second (docs/dashscope-notes.md).</summary>
    public int UploadsPerSecond
    {
        get { lock (_gate) { return _uploadsPerSecond; } }
        set { lock (_gate) { _uploadsPerSecond = Math.Max(0, value); } }
    }

    /// <summary>Sent as retry-after-ms (and Retry-After, whole seconds rounded up) with each upload 429; null = no header.</summary>
    public TimeSpan? UploadRetryAfter
    {
        get { lock (_gate) { return _uploadRetryAfter; } }
        set { lock (_gate) { _uploadRetryAfter = value; } }
    }

    /// <summary>GET /files/{id}/content answers 400 for ids that do not start with file-batch_output / file-batch_error,
    /// as the real service does. Off by default (older tests download uploaded files).</summary>
    public bool DownloadOnlyBatchResults
    {
        get { lock (_gate) { return _downloadOnlyBatchResults; } }
        set { lock (_gate) { _downloadOnlyBatchResults = value; } }
    }

    /// <summary>Uploads refused with 429 since the last reset.</summary>
    public int ThrottledUploads
    {
        get { lock (_gate) { return _throttledUploads; } }
    }

    /// <summary>Rules in the order added; an upload takes the first whose <see cref="FileRule.FileName"/> matches.</summary>
    public IReadOnlyList<FileRule> Rules
    {
        get { lock (_gate) { return _rules.ToArray(); } }
    }

    public void Add(FileRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            _rules.Add(rule);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _rules.Clear();
            _pending.Clear();
            _admittedUploads.Clear();
            _processingTime = TimeSpan.Zero;
            _uploadsPerSecond = 0;
            _uploadRetryAfter = null;
            _downloadOnlyBatchResults = false;
            _throttledUploads = 0;
        }
    }

    /// <summary>Forgets the timers of stored files (FileStore.Clear).</summary>
    internal void ClearPending()
    {
        lock (_gate)
        {
            _pending.Clear();
        }
    }

    /// <summary>
    /// Whether an upload that arrived at <paramref name="arrivedAt"/> is within the rate limit; admitted uploads are
    /// counted. False = answer 429 (counted in <see cref="ThrottledUploads"/>).
    /// </summary>
    internal bool TryAdmitUpload(DateTimeOffset arrivedAt)
    {
        lock (_gate)
        {
            if (_uploadsPerSecond == 0)
            {
                return true;
            }

            _admittedUploads.RemoveAll(t => t < arrivedAt - TimeSpan.FromSeconds(10));
            int inWindow = 0;
            foreach (DateTimeOffset admitted in _admittedUploads)
            {
                if (admitted > arrivedAt - TimeSpan.FromSeconds(1) && admitted <= arrivedAt)
                {
                    inWindow++;
                }
            }

            if (inWindow >= _uploadsPerSecond)
            {
                _throttledUploads++;
                return false;
            }

            _admittedUploads.Add(arrivedAt);
            return true;
        }
    }

    /// <summary>
    /// A new upload: when a rule matches its name, or <see cref="ProcessingTime"/> is set, it gets a wall-clock timer
    /// (returns true) that ends in the rule's final status, or FileStore's. Otherwise FileStore's poll model applies.
    /// </summary>
    internal bool StartTimer(StoredFile file, DateTimeOffset now, string defaultFinalStatus, string? defaultDetails)
    {
        lock (_gate)
        {
            FileRule? rule = _rules.Find(r => r.Matches(file.FileName));
            if (rule is null && _processingTime <= TimeSpan.Zero)
            {
                return false;
            }

            string status = rule?.FinalStatus ?? defaultFinalStatus;
            string? details = rule is null ? defaultDetails : rule.StatusDetails;
            if (details is null && status != "processed")
            {
                details = FileStore.DefaultErrorDetails;
            }

            _pending[file.Id] = new Pending(now + (rule?.ProcessingTime ?? _processingTime), status, details);
            return true;
        }
    }

    /// <summary>Holds a stored file in "processing" for <paramref name="delay"/> from now, then gives it <paramref name="status"/>
    /// (e.g. a seeded file that the service is still parsing).</summary>
    public void HoldProcessing(string id, TimeSpan delay, string status = "processed", string? details = null)
        => StartTimer(id, DateTimeOffset.UtcNow + delay, status, details);

    /// <summary>A seeded file that stays "processing" until <paramref name="readyAt"/>, then takes <paramref name="status"/>.</summary>
    internal void StartTimer(string id, DateTimeOffset readyAt, string status, string? details)
    {
        lock (_gate)
        {
            _pending[id] = new Pending(readyAt, status, details ?? (status == "processed" ? null : FileStore.DefaultErrorDetails));
        }
    }

    /// <summary>Applies a due timer: the file as it is now (unchanged when it has no timer or the timer is not due).</summary>
    internal StoredFile Settle(StoredFile file, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(file.Id, out Pending? pending))
            {
                return file;
            }

            if (now < pending.ReadyAt)
            {
                return file.Status == "processing" ? file : file with { Status = "processing", StatusDetails = null };
            }

            _pending.Remove(file.Id);
            return file with { Status = pending.Status, StatusDetails = pending.Details };
        }
    }

    /// <summary>Whether the file has a wall-clock timer (its status then does not follow the poll count).</summary>
    internal bool HasTimer(string id)
    {
        lock (_gate)
        {
            return _pending.ContainsKey(id);
        }
    }

    internal void Forget(string id)
    {
        lock (_gate)
        {
            _pending.Remove(id);
        }
    }

    private sealed record Pending(DateTimeOffset ReadyAt, string Status, string? Details);
}

/// <summary>
/// How uploads with a matching file name are processed: <see cref="ProcessingTime"/> of wall clock in "processing",
/// then <see cref="FinalStatus"/> (e.g. "error" for a file that fails to parse, with <see cref="StatusDetails"/>).
/// </summary>
/// <param name="FileName">Exact name, or a wildcard with * and ? (case-insensitive), e.g. "bad-*.pdf".</param>
public sealed record FileRule(string FileName, TimeSpan ProcessingTime = default, string FinalStatus = "processed", string? StatusDetails = null)
{
    public bool Matches(string name)
    {
        string pattern = "^" + Regex.Escape(FileName).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(name, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
