using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;

namespace QwenPS.TestServer;

/// <summary>
/// One request the server saw under /compatible-mode/v1 (rejected ones included). It is added to
/// <see cref="DashScopeTestServer.Requests"/> as soon as the headers and (non-multipart) body have been read,
/// before any behaviour or handler runs. <see cref="Upload"/> and <see cref="ResponseStatus"/> fill in later.
/// </summary>
public sealed class RecordedRequest
{
    private MultipartInfo? _upload;
    private int _responseStatus;

    internal RecordedRequest(string method, string path, string query, IReadOnlyDictionary<string, string> headers,
        byte[]? bodyBytes, string? bodyText, JsonElement? bodyElement, string connectionId, DateTimeOffset receivedAt, string requestId)
    {
        Method = method;
        Path = path;
        Query = query;
        Headers = headers;
        BodyBytes = bodyBytes;
        BodyText = bodyText;
        BodyElement = bodyElement;
        ConnectionId = connectionId;
        ReceivedAt = receivedAt;
        RequestId = requestId;
    }

    public string Method { get; }

    /// <summary>Path relative to the base URI, e.g. "/chat/completions" or "/files/file-fe-…".</summary>
    public string Path { get; }

    /// <summary>The query string including the leading '?', or "" when there is none (same as Uri.Query).</summary>
    public string Query { get; }

    /// <summary>Case-insensitive; repeated headers are joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Raw body bytes for non-multipart requests; null when the body was empty or multipart.</summary>
    public byte[]? BodyBytes { get; }

    /// <summary>The body decoded as UTF-8 for non-multipart requests; null when empty or multipart.</summary>
    public string? BodyText { get; }

    /// <summary>The parsed body when it is valid JSON (immutable, safe to read from any thread).</summary>
    public JsonElement? BodyElement { get; }

    /// <summary>The body as a JsonNode when it is valid JSON, else null. Each call returns a fresh copy,
    /// so tests may mutate it and concurrent readers do not race.</summary>
    public JsonNode? BodyJson => BodyElement is JsonElement element ? JsonNode.Parse(element.GetRawText()) : null;

    /// <summary>The multipart upload (file part streamed to a SHA-256), when the request was multipart/form-data.</summary>
    public MultipartInfo? Upload
    {
        get => Volatile.Read(ref _upload);
        internal set => Volatile.Write(ref _upload, value);
    }

    /// <summary>Kestrel's connection id: equal ids mean the client reused a keep-alive connection.</summary>
    public string ConnectionId { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The status sent in the response headers; null while pending or when the connection was aborted
    /// before any headers were sent.</summary>
    public int? ResponseStatus
    {
        get
        {
            int value = Volatile.Read(ref _responseStatus);
            return value == 0 ? null : value;
        }
    }

    /// <summary>The GUID sent back as x-request-id (and inside body ids).</summary>
    public string RequestId { get; }

    /// <summary>A header value, or null when absent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    internal void SetResponseStatus(int status) => Volatile.Write(ref _responseStatus, status);

    public override string ToString() => Method + " " + Path + Query + " -> " + (ResponseStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
}

/// <summary>What a multipart/form-data request carried. The file part is never buffered whole: it is hashed
/// while it streams in, and its bytes are kept only when it is small (<see cref="FileStore.MaxKeptBytes"/>).</summary>
public sealed class MultipartInfo
{
    internal MultipartInfo(string? fileName, string? purpose, long length, string? sha256Hex, string? fileContentType,
        byte[]? content, IReadOnlyDictionary<string, string> fields)
    {
        FileName = fileName;
        Purpose = purpose;
        Length = length;
        Sha256Hex = sha256Hex;
        FileContentType = fileContentType;
        Content = content;
        Fields = fields;
    }

    /// <summary>The "file" part's file name (filename* preferred over filename); null when there was no file part.</summary>
    public string? FileName { get; }

    /// <summary>The "purpose" field; null when absent.</summary>
    public string? Purpose { get; }

    /// <summary>Bytes in the "file" part (0 when there was none).</summary>
    public long Length { get; }

    /// <summary>Lower-case hex SHA-256 of the "file" part; null when there was none.</summary>
    public string? Sha256Hex { get; }

    /// <summary>Content-Type header of the "file" part, if any.</summary>
    public string? FileContentType { get; }

    /// <summary>The file bytes when small enough to keep, else null.</summary>
    public byte[]? Content { get; }

    /// <summary>All non-file form fields (purpose included), by name.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    public bool HasFile => Sha256Hex is not null;
}
