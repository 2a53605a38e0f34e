using System;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace QwenPS.TestServer.Documents;

/// <summary>
/// GET /files?create_after=&amp;create_before= (docs/dashscope-notes.md, "Documents as text and at scale"): the four date forms the service documents,
/// "20250306123000", "2025-11-12 10:10:10", "2025-11-12", "20251112". The service does not say which time zone it
/// reads them in; this server reads them as UTC. Both bounds are inclusive. A form it cannot read is a 400.
/// </summary>
internal sealed class FileListFilter
{
    private static readonly string[] Formats = ["yyyyMMddHHmmss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd", "yyyyMMdd"];

    private FileListFilter(long? after, long? before)
    {
        After = after;
        Before = before;
    }

    /// <summary>Unix seconds, inclusive; null = no bound.</summary>
    public long? After { get; }

    public long? Before { get; }

    /// <summary>The filter of the query, or the 400 message for a bound that is not one of the documented forms.</summary>
    public static FileListFilter Parse(IQueryCollection query, out string? error)
    {
        error = null;
        long? after = Bound(query, "create_after", ref error);
        long? before = Bound(query, "create_before", ref error);
        return new FileListFilter(after, before);
    }

    public bool Matches(StoredFile file)
        => (After is not long after || file.CreatedAt >= after) && (Before is not long before || file.CreatedAt <= before);

    private static long? Bound(IQueryCollection query, string name, ref string? error)
    {
        string text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime value))
        {
            return new DateTimeOffset(value, TimeSpan.Zero).ToUnixTimeSeconds();
        }

        error ??= name + " must be a date such as 20250306123000, 2025-11-12 10:10:10, 2025-11-12 or 20251112; got '" + text + "'.";
        return null;
    }
}
