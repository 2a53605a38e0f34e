using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace QwenPS.TestServer.Files;

/// <summary>The outcome of reading a multipart body: the parsed parts, or why it could not be parsed.</summary>
internal sealed class UploadResult
{
    public UploadResult(MultipartInfo? info, string? error)
    {
        Info = info;
        Error = error;
    }

    public MultipartInfo? Info { get; }

    /// <summary>Non-null when the body was not valid multipart/form-data.</summary>
    public string? Error { get; }
}

/// <summary>
/// Streams a multipart/form-data body. The part named "file" goes through a SHA-256 and a byte counter in
/// 64 KB pieces and is kept only while it stays under the keep limit, so memory stays flat for 150+ MB uploads.
/// </summary>
internal static class MultipartUpload
{
    private const int BufferSize = 64 * 1024;
    private const int MaxFieldBytes = 1024 * 1024;

    public static async Task<UploadResult> ReadAsync(HttpRequest request, long maxKeptBytes, TimeSpan pieceDelay, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return new UploadResult(null, "Content-Type must be multipart/form-data.");
        }

        string boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).ToString();
        if (boundary.Length == 0)
        {
            return new UploadResult(null, "The multipart boundary is missing.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? fileName = null;
        string? fileContentType = null;
        string? sha256 = null;
        long length = 0;
        byte[]? content = null;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var reader = new MultipartReader(boundary, request.Body, BufferSize) { BodyLengthLimit = null };
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition))
                {
                    await DrainAsync(section.Body, buffer, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                string name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
                bool isFilePart = disposition.FileName.HasValue || disposition.FileNameStar.HasValue;
                if (name == "file" && sha256 is null)
                {
                    // filename* (RFC 5987, what .NET's HttpClient adds for non-ASCII names) wins over filename.
                    fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.ToString() : disposition.FileName.ToString();
                    fileContentType = section.ContentType;
                    (length, sha256, content) = await HashAsync(section.Body, buffer, maxKeptBytes, pieceDelay, cancellationToken).ConfigureAwait(false);
                }
                else if (isFilePart || name == "file")
                {
                    await DrainAsync(section.Body, buffer, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    fields[name] = await ReadFieldAsync(section.Body, buffer, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when ((ex is InvalidDataException || ex.GetType() == typeof(IOException)) && !cancellationToken.IsCancellationRequested)
        {
            // MultipartReader reports a malformed body (e.g. no closing boundary) with a plain IOException or
            // InvalidDataException; a client disconnect surfaces as a Kestrel subclass or a cancellation instead.
            return new UploadResult(null, "Malformed multipart body: " + ex.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        fields.TryGetValue("purpose", out string? purpose);
        var info = new MultipartInfo(sha256 is null ? null : fileName, purpose, length, sha256, fileContentType, content, fields);
        return new UploadResult(info, null);
    }

    private static async Task<(long Length, string Sha256, byte[]? Content)> HashAsync(Stream body, byte[] buffer, long maxKeptBytes,
        TimeSpan pieceDelay, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        MemoryStream? kept = maxKeptBytes > 0 ? new MemoryStream() : null;
        long length = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
                if (pieceDelay > TimeSpan.Zero)
                {
                    await Task.Delay(pieceDelay, cancellationToken).ConfigureAwait(false);
                }

                if (kept is not null)
                {
                    if (length > maxKeptBytes)
                    {
                        // Too big to keep: from here on only the hash and the count.
                        kept.Dispose();
                        kept = null;
                    }
                    else
                    {
                        kept.Write(buffer, 0, read);
                    }
                }
            }

            return (length, Convert.ToHexStringLower(hash.GetHashAndReset()), kept?.ToArray());
        }
        finally
        {
            kept?.Dispose();
        }
    }

    private static async Task<string> ReadFieldAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        using var value = new MemoryStream();
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (value.Length + read <= MaxFieldBytes)
            {
                value.Write(buffer, 0, read);
            }
        }

        return Encoding.UTF8.GetString(value.GetBuffer(), 0, (int)value.Length);
    }

    private static async Task DrainAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        while (await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }
}
