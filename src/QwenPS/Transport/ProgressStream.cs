using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace QwenPS.Transport
{
    /// <summary>A read-only view of a file stream that reports how many bytes were read (for upload progress).</summary>
    internal sealed class ProgressStream : Stream
    {
        private readonly Stream _inner;
        private readonly Action<long> _report;
        private long _read;

        public ProgressStream(Stream inner, Action<long> report)
        {
            _inner = inner;
            _report = report;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = _inner.Read(buffer, offset, count);
            Advance(read);
            return read;
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            int read = await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            Advance(read);
            return read;
        }

        private void Advance(int read)
        {
            if (read > 0)
            {
                _read += read;
                _report(_read);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override bool CanRead => true;

        // Seekable so HttpClient can compute Content-Length and send the file without chunked encoding.
        public override bool CanSeek => _inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => _inner.Length;

        public override long Position
        {
            get => _inner.Position;
            set
            {
                _inner.Position = value;
                _read = value;
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            long position = _inner.Seek(offset, origin);
            _read = position;
            return position;
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
