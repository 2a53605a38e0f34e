using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using QwenPS.TestServer.Documents;
using QwenPS.TestServer.Http;
using QwenPS.TestServer.Json;

namespace QwenPS.TestServer.Files;

/// <summary>The default handling of the Files API (docs/dashscope-notes.md, "Files API"): upload, retrieve, list, delete, content.</summary>
internal static class FilesHandler
{
    private const string InvalidParameter = "invalid_parameter_error";
    private const int MaxListLimit = 2000;

    /// <summary>POST /files. The multipart body was already streamed into <see cref="ApiCall.Upload"/>.</summary>
    public static Task UploadAsync(ApiCall call)
    {
        UploadResult? upload = call.Upload;
        if (upload is null)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "Content-Type must be multipart/form-data.");
        }

        if (upload.Error is not null || upload.Info is null)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, upload.Error ?? "Malformed multipart body.");
        }

        if (FileRuleResponses.ThrottleUpload(call) is Task throttled)
        {
            return throttled;
        }

        MultipartInfo info = upload.Info;
        if (!info.HasFile)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "Missing required parameter: 'file'.");
        }

        if (info.Length == 0)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "The uploaded file is empty.");
        }

        if (string.IsNullOrEmpty(info.Purpose))
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "Missing required parameter: 'purpose'.");
        }

        if (info.Purpose != "file-extract" && info.Purpose != "batch")
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter,
                "Invalid purpose: '" + info.Purpose + "'. Supported values: file-extract, batch.");
        }

        StoredFile file = call.Server.Files.AddUpload(info.Purpose, info.FileName ?? string.Empty, info.Length, info.Sha256Hex!, info.Content);
        return Responses.JsonAsync(call, 200, FileObject(file));
    }

    /// <summary>GET /files/{id}: each call counts as one poll of the processing status.</summary>
    public static Task RetrieveAsync(ApiCall call, string id)
    {
        StoredFile? file = call.Server.Files.Poll(id);
        return file is null ? NotFoundAsync(call, id) : Responses.JsonAsync(call, 200, FileObject(file));
    }

    /// <summary>GET /files?after=&amp;limit=&amp;purpose=&amp;create_after=&amp;create_before=, in creation order.</summary>
    public static Task ListAsync(ApiCall call)
    {
        var query = call.Context.Request.Query;
        if (!ListPaging.TryParseLimit(query["limit"].ToString(), MaxListLimit, MaxListLimit, out int limit))
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "limit must be an integer between 1 and 2000.");
        }

        string after = query["after"].ToString();
        string purpose = query["purpose"].ToString();
        FileListFilter dates = FileListFilter.Parse(query, out string? dateError);
        if (dateError is not null)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, dateError);
        }

        IReadOnlyList<StoredFile> all = call.Server.Files.List();
        int start = ListPaging.StartAfter(all, after, f => f.Id);

        var page = new List<StoredFile>();
        bool hasMore = false;
        for (int i = start; i < all.Count; i++)
        {
            if ((purpose.Length > 0 && all[i].Purpose != purpose) || !dates.Matches(all[i]))
            {
                continue;
            }

            if (page.Count == limit)
            {
                hasMore = true;
                break;
            }

            page.Add(all[i]);
        }

        var json = new JsonBuilder().BeginObject().Prop("object", "list").Prop("has_more", hasMore).BeginArray("data");
        foreach (StoredFile file in page)
        {
            json.Raw(FileObject(file));
        }

        return Responses.JsonAsync(call, 200, json.EndArray().EndObject().ToString());
    }

    /// <summary>DELETE /files/{id}.</summary>
    public static Task DeleteAsync(ApiCall call, string id)
    {
        if (!call.Server.Files.Delete(id))
        {
            return NotFoundAsync(call, id);
        }

        string json = new JsonBuilder().BeginObject().Prop("object", "file").Prop("deleted", true).Prop("id", id).EndObject().ToString();
        return Responses.JsonAsync(call, 200, json);
    }

    /// <summary>GET /files/{id}/content: the kept bytes (uploads above FileStore.MaxKeptBytes have none → 404).</summary>
    public static Task ContentAsync(ApiCall call, string id)
    {
        StoredFile? file = call.Server.Files.Get(id);
        if (file is null)
        {
            return NotFoundAsync(call, id);
        }

        if (FileRuleResponses.RefuseDownload(call, file) is Task refused)
        {
            return refused;
        }

        if (file.Content is null)
        {
            return Responses.CompatErrorAsync(call, 404, "not_found_error",
                "File content not available: " + id + " (the test server keeps bytes only for small files).");
        }

        return Responses.BytesAsync(call.Context, 200, file.Content, "application/octet-stream", null, call.Aborted);
    }

    public static string FileObject(StoredFile file)
        => new JsonBuilder().BeginObject()
            .Prop("id", file.Id)
            .Prop("object", "file")
            .Prop("bytes", file.Bytes)
            .Prop("created_at", file.CreatedAt)
            .Prop("filename", file.FileName)
            .Prop("purpose", file.Purpose)
            .Prop("status", file.Status)
            .Prop("status_details", file.StatusDetails)
            .EndObject()
            .ToString();

    private static Task NotFoundAsync(ApiCall call, string id)
        => Responses.CompatErrorAsync(call, 404, "not_found_error", "File not found: " + id);
}
