using System;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace QwenPS.TestServer;

/// <summary>
/// The in-memory Files API store. Thread-safe. Files are immutable <see cref="StoredFile"/> snapshots; a status
/// change replaces the snapshot. Status model: an upload starts as "processing" and becomes
/// <see cref="FinalStatus"/> on the <see cref="ProcessingPolls"/>-th GET /files/{id}
/// (0 = final already in the upload response; int.MaxValue = never finishes).
/// </summary>
public sealed class FileStore
{
    public const int DefaultMaxKeptBytes = 1024 * 1024;
    public const string DefaultErrorDetails = "File parsing failed.";

    private readonly object _gate = new();
    private readonly Dictionary<string, StoredFile> _files = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();
    private int _processingPolls = 1;
    private string _finalStatus = "processed";
    private string? _finalStatusDetails;
    private long _maxKeptBytes = DefaultMaxKeptBytes;
    private TimeSpan _uploadPieceDelay;

    /// <summary>GET /files/{id} polls before a "processing" file takes <see cref="FinalStatus"/>. Default 1: the first GET
    /// already returns the final status. 0: final at upload. int.MaxValue: never. Read at poll time.</summary>
    public int ProcessingPolls
    {
        get { lock (_gate) { return _processingPolls; } }
        set { lock (_gate) { _processingPolls = Math.Max(0, value); } }
    }

    /// <summary>Status a file ends in: "processed" (default) or e.g. "error".</summary>
    public string FinalStatus
    {
        get { lock (_gate) { return _finalStatus; } }
        set { lock (_gate) { _finalStatus = value; } }
    }

    /// <summary>status_details for the final status; null = null for "processed", "File parsing failed." otherwise.</summary>
    public string? FinalStatusDetails
    {
        get { lock (_gate) { return _finalStatusDetails; } }
        set { lock (_gate) { _finalStatusDetails = value; } }
    }

    /// <summary>Uploads up to this size keep their bytes (for GET …/content and test comparisons). Default 1 MB.</summary>
    public long MaxKeptBytes
    {
        get { lock (_gate) { return _maxKeptBytes; } }
        set { lock (_gate) { _maxKeptBytes = Math.Max(0, value); } }
    }

    /// <summary>A pause after each 64 KB piece of an uploaded file is read (default none): a slow link, so that an upload
    /// is still under way when a test stops it. Kestrel's back-pressure makes the client wait too.</summary>
    public TimeSpan UploadPieceDelay
    {
        get { lock (_gate) { return _uploadPieceDelay; } }
        set { lock (_gate) { _uploadPieceDelay = value < TimeSpan.Zero ? TimeSpan.Zero : value; } }
    }

    /// <summary>Wall-clock processing, per-file outcomes, the upload rate limit (Documents/FileRules.cs).</summary>
    public FileRules Rules { get; } = new();

    public int Count
    {
        get { lock (_gate) { return _files.Count; } }
    }

    /// <summary>Pre-seeds (or replaces) a file. Purpose defaults from the id: "file-batch…" → "batch", else "file-extract".
    /// A seeded "processing" file follows the same poll rules as an upload.</summary>
    public StoredFile Add(string id, string filename, byte[] content, string status = "processed", string? purpose = null, string? statusDetails = null,
        DateTimeOffset? createdAt = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(filename);
        ArgumentNullException.ThrowIfNull(content);
        purpose ??= id.StartsWith("file-batch", StringComparison.Ordinal) ? "batch" : "file-extract";
        if (statusDetails is null && status != "processed" && status != "processing")
        {
            statusDetails = DefaultErrorDetails;
        }

        var file = new StoredFile(id, filename, purpose, content.LongLength, (createdAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            Convert.ToHexStringLower(SHA256.HashData(content)), (byte[])content.Clone(), status, statusDetails, 0);
        Put(file);
        return file;
    }

    public StoredFile? Get(string id)
    {
        lock (_gate)
        {
            return _files.TryGetValue(id, out StoredFile? file) ? SettleLocked(file) : null;
        }
    }

    /// <summary>All files in creation order.</summary>
    public IReadOnlyList<StoredFile> List()
    {
        lock (_gate)
        {
            var result = new List<StoredFile>(_order.Count);
            foreach (string id in _order)
            {
                result.Add(SettleLocked(_files[id]));
            }

            return result;
        }
    }

    public bool Delete(string id)
    {
        lock (_gate)
        {
            if (!_files.Remove(id))
            {
                return false;
            }

            _order.Remove(id);
            Rules.Forget(id);
            return true;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _files.Clear();
            _order.Clear();
            Rules.ClearPending();
        }
    }

    /// <summary>Restores ProcessingPolls, FinalStatus, FinalStatusDetails, MaxKeptBytes and UploadPieceDelay to their defaults.</summary>
    public void ResetSettings()
    {
        lock (_gate)
        {
            _processingPolls = 1;
            _finalStatus = "processed";
            _finalStatusDetails = null;
            _maxKeptBytes = DefaultMaxKeptBytes;
            _uploadPieceDelay = TimeSpan.Zero;
        }

        Rules.Reset();
    }

    internal StoredFile AddUpload(string purpose, string filename, long length, string sha256Hex, byte[]? content)
    {
        string prefix = purpose == "batch" ? "file-batch-" : "file-fe-";
        string id = prefix + Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            var file = new StoredFile(id, filename, purpose, length, DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                sha256Hex, content, "processing", null, 0);
            if (!Rules.StartTimer(file, DateTimeOffset.UtcNow, _finalStatus, _finalStatusDetails) && _processingPolls == 0)
            {
                file = Finish(file);
            }

            PutLocked(file);
            return file;
        }
    }

    /// <summary>GET /files/{id}: counts the poll and applies the status transition.</summary>
    internal StoredFile? Poll(string id)
    {
        lock (_gate)
        {
            if (!_files.TryGetValue(id, out StoredFile? file))
            {
                return null;
            }

            file = SettleLocked(file) with { Polls = file.Polls + 1 };
            if (file.Status == "processing" && !Rules.HasTimer(id) && _processingPolls != int.MaxValue && file.Polls >= _processingPolls)
            {
                file = Finish(file);
            }

            _files[id] = file;
            return file;
        }
    }

    /// <summary>Applies a due wall-clock timer (FileRules) and keeps the result.</summary>
    private StoredFile SettleLocked(StoredFile file)
    {
        StoredFile settled = Rules.Settle(file, DateTimeOffset.UtcNow);
        if (!ReferenceEquals(settled, file))
        {
            _files[file.Id] = settled;
        }

        return settled;
    }

    private StoredFile Finish(StoredFile file)
    {
        string? details = _finalStatusDetails ?? (_finalStatus == "processed" ? null : DefaultErrorDetails);
        return file with { Status = _finalStatus, StatusDetails = details };
    }

    private void Put(StoredFile file)
    {
        lock (_gate)
        {
            PutLocked(file);
        }
    }

    private void PutLocked(StoredFile file)
    {
        if (_files.ContainsKey(file.Id))
        {
            _order.Remove(file.Id);
        }

        _files[file.Id] = file;
        _order.Add(file.Id);
    }
}

/// <summary>An immutable snapshot of one stored file.</summary>
/// <param name="Content">The bytes when kept (seeded files, or uploads ≤ <see cref="FileStore.MaxKeptBytes"/>), else null.</param>
/// <param name="Polls">How many GET /files/{id} requests have seen this file.</param>
public sealed record StoredFile(string Id, string FileName, string Purpose, long Bytes, long CreatedAt, string Sha256Hex,
    byte[]? Content, string Status, string? StatusDetails, int Polls);
