using System;
using System.Diagnostics;
using System.Threading;

namespace QwenPS.Transport
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
        public TimeSpan Cap(TimeSpan limit) => Cap(limit, out _);

        /// <summary>
        /// The shorter of <paramref name="limit"/> (<see cref="Timeout.InfiniteTimeSpan"/> for none) and the time
        /// left. <paramref name="budgetLimited"/> says the time left won, so a wait that then times out ran out of
        /// budget: callers decide this up front, because a timer may fire a little before <see cref="Expired"/>
        /// turns true on this clock.
        /// </summary>
        public TimeSpan Cap(TimeSpan limit, out bool budgetLimited)
        {
            TimeSpan remaining = Remaining;
            if (remaining == Timeout.InfiniteTimeSpan)
            {
                budgetLimited = false;
                return limit;
            }

            budgetLimited = limit == Timeout.InfiniteTimeSpan || remaining < limit;
            return budgetLimited ? remaining : limit;
        }

        /// <summary>True when a wait capped by <see cref="Cap(TimeSpan, out bool)"/> has no time at all.</summary>
        public static bool IsSpent(TimeSpan cappedLimit) => cappedLimit != Timeout.InfiniteTimeSpan && cappedLimit <= TimeSpan.Zero;
    }
}
