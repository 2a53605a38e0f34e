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

        // The largest char array .NET allows (Array.MaxLength, which netstandard2.0 does not have).
        private const int MaxArrayLength = 0x7FFFFFC7;

        private char[] _buffer = Array.Empty<char>();
        private int _length;

        public int Length => _length;

        /// <summary>
        /// The most characters this text will hold (the answer's cap): growth by doubling stops there, so a capped
        /// answer rents one buffer of the cap's size, not twice that.
        /// </summary>
        public int Limit { get; set; } = MaxArrayLength;

        public void Append(string text)
        {
            long needed = (long)_length + text.Length;
            if (needed > MaxArrayLength)
            {
                throw new InvalidOperationException("The text would pass the largest size .NET can hold (" + MaxArrayLength + " characters).");
            }

            if (needed > _buffer.Length)
            {
                Grow((int)needed);
            }

            text.CopyTo(0, _buffer, _length, text.Length);
            _length = (int)needed;
        }

        public override string ToString() => _length == 0 ? string.Empty : new string(_buffer, 0, _length);

        public void Dispose()
        {
            ReturnBuffer();
            _length = 0;
        }

        private void Grow(int needed)
        {
            // Doubling in long arithmetic: past 2^30 characters, int doubling overflowed.
            long doubled = Math.Min(Math.Max(MinimumCapacity, (long)_buffer.Length * 2), Math.Max(needed, Limit));
            char[] larger = ArrayPool<char>.Shared.Rent((int)Math.Min(Math.Max(needed, doubled), MaxArrayLength));
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
