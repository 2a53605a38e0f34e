using System;

namespace QwenPS.TestServer.Omni;

/// <summary>A parsed <c>data:[mime][;base64],payload</c> URL (the only inline form DashScope takes is base64).</summary>
internal sealed record DataUrl(string Mime, byte[] Bytes)
{
    /// <summary>Each data URI item may be at most this many bytes, prefix included (docs/dashscope-notes.md).</summary>
    public const int MaxBytes = 10_485_760;

    /// <summary>The service's wording when a data URI is too big.</summary>
    public const string TooLargeMessage = "Exceeded limit on max bytes per data-uri item : 10485760";

    public static bool IsDataUrl(string value) => value.StartsWith("data:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a data URL; returns an error text (test server wording except for the size limit) or null.</summary>
    public static string? TryParse(string value, out DataUrl? parsed)
    {
        parsed = null;

        // Every character of a data URL is ASCII, so its length is its size in bytes on the wire.
        if (value.Length > MaxBytes)
        {
            return TooLargeMessage;
        }

        int comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return "Invalid data-uri item: no ',' before the data.";
        }

        string header = value.Substring("data:".Length, comma - "data:".Length);
        string[] parameters = header.Split(';');
        if (parameters.Length < 2 || !parameters[^1].Equals("base64", StringComparison.OrdinalIgnoreCase))
        {
            return "Invalid data-uri item: only base64 data URIs are supported (data:<mime>;base64,<data>).";
        }

        string mime = parameters[0].Trim().ToLowerInvariant();
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value.Substring(comma + 1));
        }
        catch (FormatException)
        {
            return "Invalid data-uri item: the data is not valid base64.";
        }

        if (bytes.Length == 0)
        {
            return "Invalid data-uri item: the data is empty.";
        }

        parsed = new DataUrl(mime, bytes);
        return null;
    }
}
