using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace QwenPS.Batch
{
    /// <summary>
    /// Splits a stream into lines as it reads, in 64 KB pieces and one pooled buffer as long as the longest line, so a
    /// file of any length is read in flat memory. Blank lines are skipped (they still count in the numbering); a UTF-8
    /// byte order mark at the start is skipped.
    /// </summary>
    internal static class JsonlLines
    {
        private const int ChunkSize = 64 * 1024;

        public static IEnumerable<JsonlLine> Read(Stream stream, CancellationToken cancellationToken)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize * 2);
            try
            {
                int start = 0;
                int end = 0;
                long bufferOffset = 0;
                int number = 0;
                bool first = true;
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (end == buffer.Length)
                    {
                        // Make room: move the partial line to the front, or grow when one line fills the buffer.
                        if (start > 0)
                        {
                            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        }
                        else
                        {
                            byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = bigger;
                        }

                        bufferOffset += start;
                        end -= start;
                        start = 0;
                    }

                    int read = stream.Read(buffer, end, Math.Min(ChunkSize, buffer.Length - end));
                    if (read == 0)
                    {
                        if (end > start)
                        {
                            number++;
                            JsonlLine? last = Line(buffer, start, end, bufferOffset, number, ref first);
                            if (last.HasValue)
                            {
                                yield return last.Value;
                            }
                        }

                        yield break;
                    }

                    int scan = end;
                    end += read;
                    int feed;
                    while ((feed = Array.IndexOf(buffer, (byte)'\n', scan, end - scan)) >= 0)
                    {
                        number++;
                        JsonlLine? line = Line(buffer, start, feed, bufferOffset, number, ref first);
                        start = feed + 1;
                        scan = start;
                        if (line.HasValue)
                        {
                            yield return line.Value;
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>The bytes of one line found earlier by <see cref="Read"/> (its offset and length), read again.</summary>
        public static ReadOnlyMemory<byte> ReadAt(Stream stream, long offset, int length)
        {
            var bytes = new byte[length];
            stream.Seek(offset, SeekOrigin.Begin);
            int done = 0;
            int read;
            while (done < length && (read = stream.Read(bytes, done, length - done)) > 0)
            {
                done += read;
            }

            return new ReadOnlyMemory<byte>(bytes, 0, done);
        }

        private static JsonlLine? Line(byte[] buffer, int start, int stop, long bufferOffset, int number, ref bool first)
        {
            if (first)
            {
                first = false;
                if (stop - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF)
                {
                    start += 3;
                }
            }

            if (stop > start && buffer[stop - 1] == (byte)'\r')
            {
                stop--;
            }

            bool blank = true;
            for (int i = start; i < stop && blank; i++)
            {
                blank = buffer[i] == (byte)' ' || buffer[i] == (byte)'\t';
            }

            return blank ? (JsonlLine?)null : new JsonlLine(new ReadOnlyMemory<byte>(buffer, start, stop - start), bufferOffset + start, number);
        }
    }
}
