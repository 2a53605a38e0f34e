using System;
using System.Buffers;

namespace QwenPS.Streaming
{
    /// <summary>
    /// Text joined piece by piece in a char buffer rented from <see cref="ArrayPool{T}"/>. A StringBuilder
    /// would keep its own copy of every chunk's text and then copy it all again into the answer string; this
    /// keeps the one copy the answer needs, so a stream allocates little beyond its records and that answer
    /// (scenario 1 of docs/performance.md). <see cref="Dispose"/> gives the buffer back.
    /// </summary>
    internal sealed class PooledText : IDisposable
    {
        private const int MinimumCapacity = 256;

        private char[] _buffer = Array.Empty<char>();
        private int _length;

        public int Length => _length;

        public void Append(string text)
        {
            int needed = _length + text.Length;
            if (needed > _buffer.Length)
            {
                Grow(needed);
            }

            text.CopyTo(0, _buffer, _length, text.Length);
            _length = needed;
        }

        public override string ToString() => _length == 0 ? string.Empty : new string(_buffer, 0, _length);

        public void Dispose()
        {
            ReturnBuffer();
            _length = 0;
        }

        private void Grow(int needed)
        {
            char[] larger = ArrayPool<char>.Shared.Rent(Math.Max(needed, Math.Max(MinimumCapacity, _buffer.Length * 2)));
            Array.Copy(_buffer, larger, _length);
            ReturnBuffer();
            _buffer = larger;
        }

        private void ReturnBuffer()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<char>.Shared.Return(_buffer);
                _buffer = Array.Empty<char>();
            }
        }
    }
}
