using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace QwenPS.Streaming
{
    /// <summary>
    /// Reads Server-Sent Events from a byte stream per the WHATWG framing rules: lines end in LF, CRLF or
    /// CR (also when split across reads); a leading UTF-8 BOM is skipped; <c>:</c> lines are comments;
    /// <c>data:</c> with or without the space; several data lines in one event join with LF; other fields
    /// are ignored. It hands out the data of each event as bytes (no string per event), valid until the
    /// next call. Events are dispatched on the blank line, so a record goes out as soon as its event is
    /// complete, never later.
    /// </summary>
    internal sealed class SseReader : IDisposable
    {
        public const int DefaultMaxEventBytes = 64 * 1024 * 1024;

        private static readonly Task<bool> CompletedTrue = Task.FromResult(true);

        private readonly Stream _stream;
        private readonly int _maxEventBytes;
        private byte[] _buffer;
        private int _start;
        private int _end;
        private int _scanFrom;
        private bool _eof;
        private bool _skipLeadingLf;
        private bool _bomChecked;
        private byte[] _data;
        private int _dataLength;
        private bool _hasData;
        private bool _disposed;

        public SseReader(Stream stream, int initialBufferSize = 16 * 1024, int maxEventBytes = DefaultMaxEventBytes)
        {
            _stream = stream ?? throw new ArgumentNullException(nameof(stream));
            _maxEventBytes = maxEventBytes;
            _buffer = ArrayPool<byte>.Shared.Rent(initialBufferSize);
            _data = ArrayPool<byte>.Shared.Rent(4 * 1024);
        }

        /// <summary>The data of the event last returned by <see cref="ReadEventAsync"/>.</summary>
        public ReadOnlySpan<byte> Data => new ReadOnlySpan<byte>(_data, 0, _dataLength);

        /// <summary>Bytes read from the stream so far.</summary>
        public long BytesRead { get; private set; }

        /// <summary>True when the stream ended with an unterminated, discarded partial line.</summary>
        public bool EndedMidLine { get; private set; }

        /// <summary>Advances to the next event that carries data. False at the end of the stream.</summary>
        public Task<bool> ReadEventAsync(CancellationToken cancellationToken)
        {
            // Most events are already in the buffer (a read brings many): hand them out without an async state machine.
            // A framing error still comes back in the task, as it did when this method was async.
            try
            {
                if (TryDispatchFromBuffer())
                {
                    return CompletedTrue;
                }
            }
            catch (SseFormatException ex)
            {
                return Task.FromException<bool>(ex);
            }

            return ReadEventSlowAsync(cancellationToken);
        }

        private async Task<bool> ReadEventSlowAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                if (TryDispatchFromBuffer())
                {
                    return true;
                }

                if (_eof)
                {
                    EndedMidLine = _end > _start;
                    _start = _end;

                    // Data lines that were complete but never closed by a blank line: keep them rather than
                    // lose an answer's last piece when a server closes right after writing it.
                    if (_hasData)
                    {
                        _hasData = false;
                        return true;
                    }

                    return false;
                }

                await FillAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private bool TryDispatchFromBuffer()
        {
            while (true)
            {
                if (!_bomChecked)
                {
                    if (_end - _start < 3 && !_eof)
                    {
                        return false;
                    }

                    _bomChecked = true;
                    if (_end - _start >= 3 && _buffer[_start] == 0xEF && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF)
                    {
                        _start += 3;
                        _scanFrom = _start;
                    }
                }

                if (_skipLeadingLf && _start < _end)
                {
                    if (_buffer[_start] == (byte)'\n')
                    {
                        _start++;
                        _scanFrom = _start;
                    }

                    _skipLeadingLf = false;
                }

                int searchLength = _end - _scanFrom;
                if (searchLength <= 0)
                {
                    return false;
                }

                int relative = new ReadOnlySpan<byte>(_buffer, _scanFrom, searchLength).IndexOfAny((byte)'\n', (byte)'\r');
                if (relative < 0)
                {
                    _scanFrom = _end;
                    return false;
                }

                int terminator = _scanFrom + relative;
                int lineStart = _start;
                int lineLength = terminator - lineStart;
                if (_buffer[terminator] == (byte)'\r')
                {
                    if (terminator + 1 < _end)
                    {
                        _start = _buffer[terminator + 1] == (byte)'\n' ? terminator + 2 : terminator + 1;
                    }
                    else
                    {
                        _start = terminator + 1;
                        _skipLeadingLf = true;
                    }
                }
                else
                {
                    _start = terminator + 1;
                }

                _scanFrom = _start;

                if (lineLength == 0)
                {
                    if (_hasData)
                    {
                        _hasData = false;
                        return true;
                    }

                    continue;
                }

                ProcessLine(new ReadOnlySpan<byte>(_buffer, lineStart, lineLength));
            }
        }

        private void ProcessLine(ReadOnlySpan<byte> line)
        {
            if (line[0] == (byte)':')
            {
                return;
            }

            int colon = line.IndexOf((byte)':');
            ReadOnlySpan<byte> field = colon < 0 ? line : line.Slice(0, colon);
            if (!field.SequenceEqual("data"u8))
            {
                return;
            }

            ReadOnlySpan<byte> value = colon < 0 ? ReadOnlySpan<byte>.Empty : line.Slice(colon + 1);
            if (!value.IsEmpty && value[0] == (byte)' ')
            {
                value = value.Slice(1);
            }

            if (!_hasData)
            {
                _dataLength = 0;
                _hasData = true;
            }
            else
            {
                AppendData("\n"u8);
            }

            AppendData(value);
        }

        private void AppendData(ReadOnlySpan<byte> bytes)
        {
            int needed = _dataLength + bytes.Length;
            if (needed > _maxEventBytes)
            {
                throw new SseFormatException("A stream event is larger than " + _maxEventBytes + " bytes.");
            }

            if (needed > _data.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _data.Length * 2));
                Buffer.BlockCopy(_data, 0, larger, 0, _dataLength);
                ArrayPool<byte>.Shared.Return(_data);
                _data = larger;
            }

            bytes.CopyTo(new Span<byte>(_data, _dataLength, bytes.Length));
            _dataLength = needed;
        }

        private async Task FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0 && (_start == _end || _end == _buffer.Length))
            {
                // Compact: move the unread tail to the front.
                int pending = _end - _start;
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
                _scanFrom -= _start;
                _start = 0;
                _end = pending;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= _maxEventBytes)
                {
                    throw new SseFormatException("A stream line is longer than " + _maxEventBytes + " bytes.");
                }

                byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxEventBytes));
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            int read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
            }
            else
            {
                _end += read;
                BytesRead += read;
            }
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            ArrayPool<byte>.Shared.Return(_buffer);
            ArrayPool<byte>.Shared.Return(_data);
            _buffer = _data = Array.Empty<byte>();
        }
    }
}
