using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace QwenPS.Documents
{
    /// <summary>What a request counts against in <see cref="RequestGate"/>.</summary>
    internal enum GatedRequestKind
    {
        /// <summary>Chat and anything else: no rate of its own, only the shared pause.</summary>
        Other,

        /// <summary>POST /files: 3 per second per account.</summary>
        Upload,

        /// <summary>GET and DELETE under /files: retrieve, list and delete share 10 per second.</summary>
        FileManagement,
    }

    /// <summary>
    /// One gate for every request of a command that runs many workers at once (Invoke-QwenDocumentChat): it keeps
    /// uploads and file-management calls within the Files API's per-second limits, and when the service asks one
    /// worker to wait (Retry-After, or a 429 the retry policy backs off from), it holds every worker for that long
    /// (docs/dashscope-notes.md, "Files API" and "Rate limits and retries"). Thread-safe.
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

        /// <summary>Waits until a request of this kind may be sent: no pause is in force and its rate window has room.</summary>
        public async Task EnterAsync(GatedRequestKind kind, CancellationToken cancellationToken)
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
                        if (window == null || window.TryTake(now, out wait))
                        {
                            return;
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

        /// <summary>A sliding window: at most <c>limit</c> starts in any <c>period</c>.</summary>
        private sealed class Window
        {
            private readonly int _limit;
            private readonly TimeSpan _period;
            private readonly Queue<TimeSpan> _starts = new Queue<TimeSpan>();

            public Window(int limit, TimeSpan period)
            {
                _limit = Math.Max(1, limit);
                _period = period;
            }

            public bool TryTake(TimeSpan now, out TimeSpan wait)
            {
                while (_starts.Count > 0 && _starts.Peek() <= now - _period)
                {
                    _starts.Dequeue();
                }

                if (_starts.Count < _limit)
                {
                    _starts.Enqueue(now);
                    wait = TimeSpan.Zero;
                    return true;
                }

                wait = _starts.Peek() + _period - now;
                return false;
            }
        }
    }
}
