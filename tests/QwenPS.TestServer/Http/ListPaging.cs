using System;
using System.Collections.Generic;
using System.Globalization;

namespace QwenPS.TestServer.Http;

/// <summary>The "limit" and "after" query parameters the list endpoints (files, batches) share.</summary>
internal static class ListPaging
{
    /// <summary>An empty value gives <paramref name="defaultLimit"/>; false when the value is not an integer in 1..max.</summary>
    public static bool TryParseLimit(string text, int defaultLimit, int maxLimit, out int limit)
    {
        limit = defaultLimit;
        return text.Length == 0
            || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= maxLimit);
    }

    /// <summary>The index just after the item whose id is <paramref name="after"/> (0 without a cursor). An unknown
    /// cursor gives the end (an empty page) rather than restarting, which could loop a paging client forever.</summary>
    public static int StartAfter<T>(IReadOnlyList<T> all, string after, Func<T, string> id)
    {
        if (after.Length == 0)
        {
            return 0;
        }

        for (int i = 0; i < all.Count; i++)
        {
            if (id(all[i]) == after)
            {
                return i + 1;
            }
        }

        return all.Count;
    }
}
