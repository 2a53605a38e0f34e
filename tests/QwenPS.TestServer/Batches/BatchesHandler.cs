using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QwenPS.TestServer.Http;
using QwenPS.TestServer.Json;

namespace QwenPS.TestServer.Batches;

/// <summary>The default handling of the Batch API (docs/dashscope-notes.md, "Batch"): create, retrieve, list, cancel.</summary>
internal static class BatchesHandler
{
    private const string InvalidParameter = "invalid_parameter_error";
    private const int DefaultListLimit = 20;
    private const int MaxListLimit = 100;
    private const int MaxListedInputFiles = 20;
    private const int MaxNameLength = 100;
    private const int MaxDescriptionLength = 200;

    /// <summary>Routes /batches and /batches/{id}[/cancel]; null when the path or method is not a Batch API call.</summary>
    public static Task? TryDispatch(ApiCall call)
    {
        string path = call.Path;
        string method = call.Method;
        if (path == "/batches")
        {
            return method == "POST" ? CreateAsync(call) : method == "GET" ? ListAsync(call) : null;
        }

        if (!path.StartsWith("/batches/", StringComparison.Ordinal))
        {
            return null;
        }

        string[] segments = path.Substring("/batches/".Length).Split('/');
        if (segments[0].Length == 0)
        {
            return null;
        }

        if (segments.Length == 1 && method == "GET")
        {
            return RetrieveAsync(call, segments[0]);
        }

        return segments.Length == 2 && segments[1] == "cancel" && method == "POST" ? CancelAsync(call, segments[0]) : null;
    }

    /// <summary>POST /batches {"input_file_id","endpoint","completion_window","metadata"}.</summary>
    private static Task CreateAsync(ApiCall call)
    {
        if (call.BodyElement is not JsonElement body || body.ValueKind != JsonValueKind.Object)
        {
            return Responses.CompatErrorAsync(call, 400, null, ErrorCatalog.InvalidBodyMessage);
        }

        string? fileId = StringProperty(body, "input_file_id");
        if (string.IsNullOrEmpty(fileId))
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "Missing required parameter: 'input_file_id'.");
        }

        string endpoint = StringProperty(body, "endpoint") ?? string.Empty;
        if (!BatchPlanner.Endpoints.Contains(endpoint))
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter,
                "Invalid endpoint: '" + endpoint + "'. Supported values: " + string.Join(", ", BatchPlanner.Endpoints) + ".");
        }

        string window = StringProperty(body, "completion_window") ?? string.Empty;
        long? windowSeconds = WindowSeconds(window);
        if (windowSeconds is null)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter,
                "Invalid completion_window: '" + window + "'. Use hours or days between 24h and 336h, e.g. '24h' or '14d'.");
        }

        (Dictionary<string, string>? metadata, string? metadataError) = Metadata(body);
        if (metadataError is not null)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, metadataError);
        }

        StoredFile? file = call.Server.Files.Get(fileId);
        if (file is null)
        {
            return Responses.CompatErrorAsync(call, 404, "not_found_error", "File not found: " + fileId);
        }

        if (file.Purpose != "batch")
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter,
                "The file " + fileId + " has purpose '" + file.Purpose + "'; a batch needs a file uploaded with purpose 'batch'.");
        }

        if (file.Content is null)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter,
                "The test server did not keep the bytes of " + fileId + " (" + file.Bytes + " bytes): raise maxKeptBytes (POST /_control/config) before uploading big batch files.");
        }

        BatchStore store = call.Server.Batches;
        BatchPlan plan = BatchPlanner.Plan(file.Content, endpoint, windowSeconds.Value, call.Created, store.CurrentPlanSettings());
        StoredBatch batch = store.Add(plan, endpoint, fileId, window, metadata!, call.Created);
        return Responses.JsonAsync(call, 200, BatchJson.Batch(batch));
    }

    /// <summary>GET /batches/{id}: each call is one poll and moves the batch one step on.</summary>
    private static Task RetrieveAsync(ApiCall call, string id)
    {
        StoredBatch? batch = call.Server.Batches.Poll(id, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), b => Publish(call.Server.Files, b));
        return batch is null ? NotFoundAsync(call, id) : Responses.JsonAsync(call, 200, BatchJson.Batch(batch));
    }

    /// <summary>POST /batches/{id}/cancel → "cancelling" (the next poll says "cancelled"); a finished batch → 400.</summary>
    private static Task CancelAsync(ApiCall call, string id)
    {
        (StoredBatch? batch, bool accepted) = call.Server.Batches.Cancel(id, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        if (batch is null)
        {
            return NotFoundAsync(call, id);
        }

        return accepted
            ? Responses.JsonAsync(call, 200, BatchJson.Batch(batch))
            : Responses.CompatErrorAsync(call, 400, InvalidParameter, "Cannot cancel a batch with status '" + batch.Status + "'.");
    }

    /// <summary>GET /batches?after=&amp;limit=&amp;ds_name=&amp;input_file_ids=&amp;status=&amp;create_after=&amp;create_before=, newest first.</summary>
    private static Task ListAsync(ApiCall call)
    {
        IQueryCollection query = call.Context.Request.Query;
        if (!ListPaging.TryParseLimit(query["limit"].ToString(), DefaultListLimit, MaxListLimit, out int limit))
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "limit must be an integer between 1 and 100.");
        }

        string[] fileIds = SplitList(query["input_file_ids"].ToString());
        if (fileIds.Length > MaxListedInputFiles)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "input_file_ids takes at most 20 ids.");
        }

        string[] statuses = SplitList(query["status"].ToString());
        string name = query["ds_name"].ToString();
        long? after = ParseTime(query["create_after"].ToString(), out bool afterBad);
        long? before = ParseTime(query["create_before"].ToString(), out bool beforeBad);
        if (afterBad || beforeBad)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "create_after and create_before take the form yyyyMMddHHmmss.");
        }

        IReadOnlyList<StoredBatch> all = call.Server.Batches.List();
        int start = ListPaging.StartAfter(all, query["after"].ToString(), b => b.Id);

        var page = new List<StoredBatch>();
        bool hasMore = false;
        for (int i = start; i < all.Count; i++)
        {
            StoredBatch batch = all[i];
            bool matches = (name.Length == 0 || (batch.Metadata.TryGetValue("ds_name", out string? n) && n.Contains(name, StringComparison.OrdinalIgnoreCase)))
                && (fileIds.Length == 0 || fileIds.Contains(batch.InputFileId))
                && (statuses.Length == 0 || statuses.Contains(batch.Status))
                && (after is null || batch.CreatedAt >= after)
                && (before is null || batch.CreatedAt <= before);
            if (!matches)
            {
                continue;
            }

            if (page.Count == limit)
            {
                hasMore = true;
                break;
            }

            page.Add(batch);
        }

        var json = new JsonBuilder().BeginObject().Prop("object", "list").BeginArray("data");
        foreach (StoredBatch batch in page)
        {
            json.Raw(BatchJson.Batch(batch));
        }

        json.EndArray().Prop("first_id", page.Count > 0 ? page[0].Id : null).Prop("last_id", page.Count > 0 ? page[^1].Id : null);
        return Responses.JsonAsync(call, 200, json.Prop("has_more", hasMore).EndObject().ToString());
    }

    /// <summary>Stores the output and error files of the requests processed so far (null ids when a file would be empty).</summary>
    private static (string? OutputFileId, string? ErrorFileId) Publish(FileStore files, StoredBatch batch)
    {
        string? Store(bool errors, string prefix, string suffix)
        {
            var text = new StringBuilder();
            foreach (BatchResultLine line in batch.ProcessedResults.Where(r => r.IsError == errors))
            {
                text.Append(line.Json).Append('\n');
            }

            if (text.Length == 0)
            {
                return null;
            }

            string id = prefix + Guid.NewGuid().ToString("N");
            files.Add(id, batch.Id + suffix, Encoding.UTF8.GetBytes(text.ToString()), status: "processed", purpose: "batch_output");
            return id;
        }

        return (Store(false, "file-batch_output-", "_success.jsonl"), Store(true, "file-batch_error-", "_error.jsonl"));
    }

    /// <summary>"24h" … "336h" or "1d" … "14d" → seconds; null when out of range or malformed.</summary>
    internal static long? WindowSeconds(string window)
    {
        if (window.Length < 2 || (window[^1] != 'h' && window[^1] != 'd')
            || !int.TryParse(window.AsSpan(0, window.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int amount))
        {
            return null;
        }

        long hours = window[^1] == 'd' ? amount * 24L : amount;
        return hours is >= 24 and <= 336 ? hours * 3600 : null;
    }

    private static (Dictionary<string, string>? Metadata, string? Error) Metadata(JsonElement body)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!body.TryGetProperty("metadata", out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return (metadata, null);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, "metadata must be an object of strings.");
        }

        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return (null, "metadata." + property.Name + " must be a string.");
            }

            metadata[property.Name] = property.Value.GetString()!;
        }

        if (metadata.TryGetValue("ds_name", out string? name) && name.Length > MaxNameLength)
        {
            return (null, "metadata.ds_name must not be longer than 100 characters.");
        }

        if (metadata.TryGetValue("ds_description", out string? description) && description.Length > MaxDescriptionLength)
        {
            return (null, "metadata.ds_description must not be longer than 200 characters.");
        }

        return (metadata, null);
    }

    private static string? StringProperty(JsonElement body, string name)
        => body.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string[] SplitList(string value)
        => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>yyyyMMddHHmmss, read as UTC (the documentation does not name a time zone).</summary>
    private static long? ParseTime(string value, out bool bad)
    {
        bad = false;
        if (value.Length == 0)
        {
            return null;
        }

        if (!DateTime.TryParseExact(value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime time))
        {
            bad = true;
            return null;
        }

        return new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeSeconds();
    }

    private static Task NotFoundAsync(ApiCall call, string id)
        => Responses.CompatErrorAsync(call, 404, "not_found_error", "Batch not found: " + id);
}
