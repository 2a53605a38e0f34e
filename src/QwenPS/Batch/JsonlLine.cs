using System;

namespace QwenPS.Batch
{
    /// <summary>One line of a JSONL file: its bytes (valid until the next line is read), where it starts, its number.</summary>
    internal readonly struct JsonlLine
    {
        public JsonlLine(ReadOnlyMemory<byte> bytes, long offset, int number)
        {
            Bytes = bytes;
            Offset = offset;
            Number = number;
        }

        /// <summary>The line without its line feed (and without a carriage return before it).</summary>
        public ReadOnlyMemory<byte> Bytes { get; }

        /// <summary>The byte offset of the line's first byte in the stream.</summary>
        public long Offset { get; }

        /// <summary>1-based.</summary>
        public int Number { get; }
    }
}
