using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace QwenPS.Tests.Support
{
    /// <summary>A read-only stream that hands out its bytes at most <c>maxRead</c> at a time (simulates network reads);
    /// or in reads of the given sizes, cycled, optionally ending in a connection reset (IOException) instead of EOF.</summary>
    internal sealed class ChunkedStream : QwenPS.Transport.ReadOnlyStream
    {
        private readonly byte[] _data;
        private readonly int[] _reads;
        private readonly bool _resetAtEnd;
        private int _position;

        public ChunkedStream(byte[] data, int maxRead)
            : this(data, new[] { maxRead }, resetAtEnd: false)
        {
        }

        public ChunkedStream(byte[] data, int[] reads, bool resetAtEnd)
        {
            _data = data;
            _reads = reads.Length == 0 ? new[] { int.MaxValue } : reads;
            _resetAtEnd = resetAtEnd;
        }

        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_resetAtEnd && _position == _data.Length)
            {
                throw new IOException("The connection was reset (simulated).");
            }

            int take = Math.Min(Math.Min(count, _reads[Reads % _reads.Length]), _data.Length - _position);
            Array.Copy(_data, _position, buffer, offset, take);
            _position += take;
            Reads++;
            return take;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));
    }
}
