using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace QwenPS.Transport
{
    /// <summary>
    /// One gate for every request of a command that runs many workers at once (Invoke-QwenDocumentChat): it keeps
    /// uploads and file-management calls within the Files API's per-second limits, and when the service asks one
    /// worker to wait (Retry-After, or a 429 the retry policy backs off from), it holds every worker for that long
    /// (docs/dashscope-notes.md, "Documents as text and at scale"). Thread-safe.
    /// </summary>
    internal sealed class RequestGate
    {
        /// <summary>Added to each one-second window: our clock and the service's see a request at slightly different
        /// moments (a first request also opens its connection), so a window exactly one second long could be seen as shorter.</summary>
        public static readonly TimeSpan WindowMargin = TimeSpan.FromMilliseconds(100);

        private readonly object _lock = new object();
        private readonly Func<TimeSpan> _now;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly Window _uploads;
        private readonly Window _fileCalls;
        private TimeSpan _pausedUntil = TimeSpan.Zero;

        public RequestGate(int uploadsPerSecond = 3, int fileCallsPerSecond = 10, Func<TimeSpan>? now = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
        {
            if (now == null)
            {
                Stopwatch clock = Stopwatch.StartNew();
                now = () => clock.Elapsed;
            }

            _now = now;
            _delay = delay ?? ((wait, token) => Task.Delay(wait, token));
            TimeSpan period = TimeSpan.FromSeconds(1) + WindowMargin;
            _uploads = new Window(uploadsPerSecond, period);
            _fileCalls = new Window(fileCallsPerSecond, period);
        }

        /// <summary>How many times a request had to wait (for a rate window or a pause).</summary>
        public int Waits { get; private set; }

        public static GatedRequestKind Classify(HttpMethod method, Uri uri)
        {
            string path = uri.AbsolutePath.TrimEnd('/');
            int files = path.LastIndexOf("/files", StringComparison.Ordinal);
            if (files < 0)
            {
                return GatedRequestKind.Other;
            }

            bool collection = files + "/files".Length == path.Length;
            bool item = !collection && path[files + "/files".Length] == '/';
            if (collection && method == HttpMethod.Post)
            {
                return GatedRequestKind.Upload;
            }

            return (collection || item) && (method == HttpMethod.Get || method == HttpMethod.Delete) ? GatedRequestKind.FileManagement : GatedRequestKind.Other;
        }

        /// <summary>
        /// Waits until a request of this kind may be sent: no pause is in force and its rate window has room. Dispose
        /// the lease when the request's answer (or failure) has come back: a slot counts from then, not from when it
        /// was taken, because only then is it sure the service has seen the request (a first request may spend a while
        /// opening its connection, and the service counts requests when they arrive).
        /// </summary>
        public async Task<IDisposable> EnterAsync(GatedRequestKind kind, CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan wait;
                lock (_lock)
                {
                    TimeSpan now = _now();
                    wait = _pausedUntil - now;
                    if (wait <= TimeSpan.Zero)
                    {
                        Window? window = kind == GatedRequestKind.Upload ? _uploads : kind == GatedRequestKind.FileManagement ? _fileCalls : null;
                        if (window == null)
                        {
                            return NoLease.Instance;
                        }

                        Slot? slot = window.TryTake(now, out wait);
                        if (slot != null)
                        {
                            return new Lease(this, slot);
                        }
                    }

                    Waits++;
                }

                await _delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Holds every request for <paramref name="wait"/> from now (a longer pause already in force stays).</summary>
        public void Pause(TimeSpan wait)
        {
            lock (_lock)
            {
                TimeSpan until = _now() + wait;
                if (until > _pausedUntil)
                {
                    _pausedUntil = until;
                }
            }
        }

        private void Release(Slot slot)
        {
            lock (_lock)
            {
                slot.Done = _now();
            }
        }

        /// <summary>How long to look again when every slot of a window is still in flight.</summary>
        private static readonly TimeSpan InFlightRecheck = TimeSpan.FromMilliseconds(25);

        /// <summary>One request's place in a window: in flight until <see cref="Done"/> is set.</summary>
        private sealed class Slot
        {
            public TimeSpan? Done { get; set; }
        }

        private sealed class Lease : IDisposable
        {
            private RequestGate? _gate;
            private readonly Slot _slot;

            public Lease(RequestGate gate, Slot slot)
            {
                _gate = gate;
                _slot = slot;
            }

            public void Dispose()
            {
                Interlocked.Exchange(ref _gate, null)?.Release(_slot);
            }
        }

        private sealed class NoLease : IDisposable
        {
            public static readonly NoLease Instance = new NoLease();

            public void Dispose()
            {
            }
        }

        /// <summary>A sliding window: at most <c>limit</c> requests in flight or finished within the last <c>period</c>.</summary>
        private sealed class Window
        {
            private readonly int _limit;
            private readonly TimeSpan _period;
            private readonly List<Slot> _slots = new List<Slot>();

            public Window(int limit, TimeSpan period)
            {
                _limit = Math.Max(1, limit);
                _period = period;
            }

            public Slot? TryTake(TimeSpan now, out TimeSpan wait)
            {
                _slots.RemoveAll(slot => slot.Done.HasValue && slot.Done.Value <= now - _period);
                if (_slots.Count < _limit)
                {
                    var slot = new Slot();
                    _slots.Add(slot);
                    wait = TimeSpan.Zero;
                    return slot;
                }

                TimeSpan? oldest = null;
                foreach (Slot slot in _slots)
                {
                    if (slot.Done.HasValue && (!oldest.HasValue || slot.Done.Value < oldest.Value))
                    {
                        oldest = slot.Done;
                    }
                }

                // The oldest finished slot leaves the window first (those in flight count from when they finish, later).
                wait = oldest.HasValue ? oldest.Value + _period - now : InFlightRecheck;
                return null;
            }
        }
    }
}
