using System;
using System.Diagnostics;
using System.Threading;

namespace QwenPS.Http
{
    /// <summary>The total time budget of one command (all attempts and waits), or none.</summary>
    internal sealed class Deadline
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TimeSpan? _total;

        public Deadline(TimeSpan? total)
        {
            _total = total.HasValue && total.Value > TimeSpan.Zero ? total : null;
        }

        public TimeSpan? Total => _total;

        public TimeSpan Elapsed => _clock.Elapsed;

        public bool Expired => _total.HasValue && _clock.Elapsed >= _total.Value;

        /// <summary>What is left, or <see cref="Timeout.InfiniteTimeSpan"/> without a budget.</summary>
        public TimeSpan Remaining
        {
            get
            {
                if (!_total.HasValue)
                {
                    return Timeout.InfiniteTimeSpan;
                }

                TimeSpan left = _total.Value - _clock.Elapsed;
                return left < TimeSpan.Zero ? TimeSpan.Zero : left;
            }
        }

        /// <summary>The shorter of <paramref name="limit"/> and the time left.</summary>
        public TimeSpan Cap(TimeSpan limit)
        {
            TimeSpan remaining = Remaining;
            if (remaining == Timeout.InfiniteTimeSpan)
            {
                return limit;
            }

            if (limit == Timeout.InfiniteTimeSpan)
            {
                return remaining;
            }

            return remaining < limit ? remaining : limit;
        }
    }
}
