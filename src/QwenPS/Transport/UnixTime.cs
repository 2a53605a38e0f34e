using System;

namespace QwenPS.Transport
{
    /// <summary>Unix timestamps from the service, read defensively: one outside what DateTimeOffset can hold
    /// (a buggy proxy, a timestamp in milliseconds gone wrong) is treated as absent rather than failing the call.</summary>
    internal static class UnixTime
    {
        private const long MinSeconds = -62135596800;
        private const long MaxSeconds = 253402300799;

        public static DateTimeOffset? FromSeconds(long? seconds) =>
            seconds.HasValue && seconds.Value >= MinSeconds && seconds.Value <= MaxSeconds
                ? DateTimeOffset.FromUnixTimeSeconds(seconds.Value)
                : (DateTimeOffset?)null;
    }
}
