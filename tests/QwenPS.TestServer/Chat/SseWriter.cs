using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace QwenPS.TestServer.Chat;

/// <summary>
/// Writes server-sent events. Every write is flushed at once: the client tests measure that chunks arrive as
/// they are written, so nothing may sit in a buffer.
/// </summary>
internal sealed class SseWriter
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly HttpResponse _response;
    private readonly string _eol;
    private readonly string _dataPrefix;
    private readonly CancellationToken _cancellationToken;

    public SseWriter(HttpResponse response, bool crLf, bool noSpaceAfterColon, CancellationToken cancellationToken)
    {
        _response = response;
        _eol = crLf ? "\r\n" : "\n";
        _dataPrefix = noSpaceAfterColon ? "data:" : "data: ";
        _cancellationToken = cancellationToken;
    }

    /// <summary>Sends status 200 and the headers right away, so the client sees the response start before any delay.</summary>
    public static Task StartAsync(HttpResponse response, string contentType, CancellationToken cancellationToken)
        => StartAsync(response, 200, contentType, cancellationToken);

    /// <summary>Sends the status and headers right away (null <paramref name="contentType"/> = no Content-Type header).</summary>
    public static async Task StartAsync(HttpResponse response, int status, string? contentType, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        if (contentType is not null)
        {
            response.ContentType = contentType;
        }

        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task WriteBomAsync() => WriteBytesAsync(Utf8Bom);

    /// <summary>"data: {payload}" + blank line.</summary>
    public Task WriteDataAsync(string payload) => WriteTextAsync(_dataPrefix + payload + _eol + _eol);

    /// <summary>A comment block (": text" + blank line), which SSE parsers must ignore.</summary>
    public Task WriteCommentAsync(string text) => WriteTextAsync(": " + text + _eol + _eol);

    public Task WriteTextAsync(string text) => WriteBytesAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteBytesAsync(ReadOnlyMemory<byte> bytes)
    {
        await _response.Body.WriteAsync(bytes, _cancellationToken).ConfigureAwait(false);
        await _response.Body.FlushAsync(_cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Aborts the connection mid-response. The short pause first lets Kestrel's socket loop send what was already
    /// flushed: Abort discards output that is still queued in the transport pipe.
    /// </summary>
    public static async Task AbortAsync(HttpContext context)
    {
        await Task.Delay(50).ConfigureAwait(false);
        context.Abort();
    }
}
