using System;
using System.Collections.Generic;
using System.Globalization;

namespace QwenPS.Files
{
    /// <summary>
    /// What Get-QwenFile and Remove-QwenFile -Purpose/-CreatedAfter/-CreatedBefore/-FileName list: the query of each
    /// page of <c>GET /files</c>, and the exact filter applied to what comes back. DashScope documents the date
    /// filters' formats but neither their time zone nor whether the bounds are inclusive (docs/dashscope-notes.md,
    /// "Documents as text and at scale"), so the service is asked for a range one day wider on each side, and <c>created_at</c> is then
    /// compared here: at or after <see cref="CreatedAfter"/>, before <see cref="CreatedBefore"/>.
    /// </summary>
    internal sealed class FileListQuery
    {
        public const int MaxPageSize = 2000;

        /// <summary>The widening of the service-side date range (covers any time zone).</summary>
        internal static readonly TimeSpan DateSlack = TimeSpan.FromDays(1);

        public string? Purpose { get; set; }

        /// <summary>Start after this file id (the service's cursor).</summary>
        public string? After { get; set; }

        /// <summary>Files created at or after this moment.</summary>
        public DateTimeOffset? CreatedAfter { get; set; }

        /// <summary>Files created before this moment.</summary>
        public DateTimeOffset? CreatedBefore { get; set; }

        /// <summary>A wildcard for the stored file name (case-insensitive), applied here; null for any.</summary>
        public Func<string?, bool>? NameMatches { get; set; }

        public int PageSize { get; set; } = MaxPageSize;

        /// <summary>The query string of the page that starts after <paramref name="cursor"/> (null: the first page).</summary>
        public string QueryString(string? cursor)
        {
            var parts = new List<string> { "limit=" + PageSize.ToString(CultureInfo.InvariantCulture) };
            if (Purpose != null)
            {
                parts.Add("purpose=" + Uri.EscapeDataString(Purpose));
            }

            if (cursor != null)
            {
                parts.Add("after=" + Uri.EscapeDataString(cursor));
            }

            if (CreatedAfter.HasValue)
            {
                parts.Add("create_after=" + Format(CreatedAfter.Value - DateSlack));
            }

            if (CreatedBefore.HasValue)
            {
                parts.Add("create_before=" + Format(CreatedBefore.Value + DateSlack));
            }

            return string.Join("&", parts);
        }

        /// <summary>Whether a listed file is one the user asked for (the exact date bounds and the name).</summary>
        public bool Matches(QwenFileInfo file)
        {
            if (Purpose != null && file.Purpose != null && !string.Equals(file.Purpose, Purpose, StringComparison.Ordinal))
            {
                return false;
            }

            if ((CreatedAfter.HasValue || CreatedBefore.HasValue) && !file.CreatedAt.HasValue)
            {
                return false;
            }

            if (CreatedAfter.HasValue && file.CreatedAt!.Value < CreatedAfter.Value)
            {
                return false;
            }

            if (CreatedBefore.HasValue && file.CreatedAt!.Value >= CreatedBefore.Value)
            {
                return false;
            }

            return NameMatches == null || NameMatches(file.FileName);
        }

        /// <summary>yyyyMMddHHmmss in UTC, one of the documented forms; clamped to years 1970 to 9999.</summary>
        private static string Format(DateTimeOffset moment)
        {
            DateTimeOffset utc = moment.ToUniversalTime();
            if (utc.Year < 1970)
            {
                utc = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
            }

            return utc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        }
    }
}
