using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace QwenPS.Transport
{
    /// <summary>
    /// Wraps a response body so that every read fails when the server sends nothing for the idle timeout
    /// (or the command's total budget runs out), and when the command is stopped. The inner stream is
    /// disposed on cancellation because .NET Framework's network reads ignore cancellation tokens: that is
    /// what makes Ctrl+C stop a silent stream at once on Windows PowerShell too.
    /// </summary>
    internal sealed class IdleTimeoutStream : ReadOnlyStream
    {
        private readonly Stream _inner;
        private readonly TimeSpan _idle;
        private readonly Deadline _deadline;
        private readonly CancellationToken _stop;
        private readonly CancellationTokenSource _timer;
        private readonly CancellationTokenRegistration _registration;

        public IdleTimeoutStream(Stream inner, TimeSpan idle, Deadline deadline, CancellationToken stop)
        {
            _inner = inner;
            _idle = idle;
            _deadline = deadline;
            _stop = stop;
            _timer = CancellationTokenSource.CreateLinkedTokenSource(stop);
            _registration = _timer.Token.Register(static state => ((Stream)state!).Dispose(), inner);
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _stop.ThrowIfCancellationRequested();
            // Whether this wait is cut short by the budget rather than the idle timeout is decided here, not
            // when the timer fires: a timer may fire a little before the deadline's own clock says it expired.
            TimeSpan limit = _deadline.Cap(_idle, out bool budgetLimited);
            if (Deadline.IsSpent(limit))
            {
                throw new ReadTimeoutException(idle: false);
            }

            _timer.CancelAfter(limit);
            try
            {
                int read = await _inner.ReadAsync(buffer, offset, count, _timer.Token).ConfigureAwait(false);
                _timer.CancelAfter(Timeout.InfiniteTimeSpan);
                return read;
            }
            catch (Exception) when (_timer.IsCancellationRequested || _stop.IsCancellationRequested)
            {
                _stop.ThrowIfCancellationRequested();
                throw new ReadTimeoutException(idle: !budgetLimited && !_deadline.Expired);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _registration.Dispose();
                _timer.Dispose();
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
