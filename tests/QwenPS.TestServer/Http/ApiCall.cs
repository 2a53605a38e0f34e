using System;
using System.Text.Json;
using System.Threading;
using Microsoft.AspNetCore.Http;
using QwenPS.TestServer.Files;

namespace QwenPS.TestServer.Http;

/// <summary>Everything the handlers need about one request under /compatible-mode/v1.</summary>
internal sealed class ApiCall
{
    public ApiCall(DashScopeTestServer server, HttpContext context, string path, string requestId, RecordedRequest record,
        UploadResult? upload, CancellationToken aborted)
    {
        Server = server;
        Context = context;
        Path = path;
        RequestId = requestId;
        Record = record;
        Upload = upload;
        Aborted = aborted;
        Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    public DashScopeTestServer Server { get; }

    public HttpContext Context { get; }

    /// <summary>Path relative to the base URI, e.g. "/chat/completions".</summary>
    public string Path { get; }

    /// <summary>The GUID sent as x-request-id; body ids are "chatcmpl-" + this.</summary>
    public string RequestId { get; }

    public RecordedRequest Record { get; }

    /// <summary>The parsed multipart upload, when the request was multipart/form-data.</summary>
    public UploadResult? Upload { get; }

    /// <summary>Cancelled when the client disconnects or the server is disposed.</summary>
    public CancellationToken Aborted { get; }

    public long Created { get; }

    public string Method => Context.Request.Method;

    public JsonElement? BodyElement => Record.BodyElement;

    public bool IsChatPath => Path == ServerBehavior.ChatPath;
}
