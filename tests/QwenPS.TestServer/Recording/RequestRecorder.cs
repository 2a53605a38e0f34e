using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace QwenPS.TestServer.Recording;

/// <summary>Turns an incoming request into a <see cref="RecordedRequest"/>, reading the body unless it is multipart
/// (multipart bodies are streamed by the upload parser instead, so 150 MB uploads never sit in memory).</summary>
internal static class RequestRecorder
{
    public static bool IsMultipart(HttpRequest request)
        => request.ContentType is string type && type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);

    public static async Task<RecordedRequest> CaptureAsync(HttpContext context, string relativePath, string requestId,
        DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        HttpRequest request = context.Request;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, StringValues> header in request.Headers)
        {
            // StringValues.ToString() joins with "," - the brief asks for ", ".
            headers[header.Key] = string.Join(", ", header.Value.ToArray());
        }

        byte[]? bytes = null;
        string? text = null;
        JsonElement? element = null;
        if (!IsMultipart(request))
        {
            bytes = await ReadAllAsync(request, cancellationToken).ConfigureAwait(false);
            if (bytes.Length == 0)
            {
                bytes = null;
            }
            else
            {
                text = Encoding.UTF8.GetString(bytes);
                element = TryParseJson(bytes);
            }
        }

        return new RecordedRequest(request.Method, relativePath, request.QueryString.Value ?? string.Empty, headers,
            bytes, text, element, context.Connection.Id, receivedAt, requestId);
    }

    private static async Task<byte[]> ReadAllAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        long? length = request.ContentLength;
        using var buffer = new MemoryStream(length is > 0 and < int.MaxValue ? (int)length.Value : 1024);
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static JsonElement? TryParseJson(byte[] bytes)
    {
        // Cheap pre-check so plain-text bodies do not pay for an exception.
        int i = 0;
        while (i < bytes.Length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n'))
        {
            i++;
        }

        if (i == bytes.Length || (bytes[i] != '{' && bytes[i] != '['))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
