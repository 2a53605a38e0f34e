using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenPS.Batch
{
    /// <summary>
    /// Writes a batch input file (docs/dashscope-notes.md, "Batch") one line at a time to a stream, checking every
    /// limit as it goes: one model per file, at most <see cref="BatchLimits.MaxLines"/> lines, each line at most
    /// <see cref="BatchLimits.MaxLineBytes"/>, the file at most <see cref="BatchLimits.MaxFileBytes"/>, unique custom ids.
    /// A line is built in a buffer capped at the line limit, so memory stays flat whatever the number or size of inputs
    /// (only the custom ids are kept, for the uniqueness check). A refused line throws before it reaches the stream.
    /// </summary>
    internal sealed class BatchJsonlWriter : IDisposable
    {
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            // CJK text stays UTF-8, as in the real-time request bodies; the service reads either.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private readonly Stream _output;
        private readonly string _url;
        private readonly BatchLimits _limits;
        private readonly HashSet<string> _customIds = new HashSet<string>(StringComparer.Ordinal);
        private readonly CappedBufferWriter _line;
        private readonly Utf8JsonWriter _json;
        private string? _model;

        public BatchJsonlWriter(Stream output, string url, BatchLimits limits)
        {
            _output = output;
            _url = url;
            _limits = limits;
            _line = new CappedBufferWriter(limits.MaxLineBytes);
            _json = new Utf8JsonWriter(_line, WriterOptions);
        }

        public int LineCount { get; private set; }

        /// <summary>Bytes written so far, line feeds included.</summary>
        public long Bytes { get; private set; }

        /// <summary>The model of the first line (every other line must use it).</summary>
        public string? Model => _model;

        /// <summary>
        /// Appends <c>{"custom_id","method":"POST","url","body":{…}}</c>. <paramref name="writeBody"/> writes the body
        /// object whole (the same writer a real-time request body uses). <paramref name="target"/> names the input in errors.
        /// </summary>
        public void Add(string customId, string model, Action<Utf8JsonWriter> writeBody, object? target)
        {
            if (string.IsNullOrEmpty(customId))
            {
                throw Refused(QwenErrorIds.BatchInputInvalid, QwenErrorCategory.InvalidArgument, "Request " + (LineCount + 1) + " has an empty custom id.", target);
            }

            if (_model == null)
            {
                _model = model;
            }
            else if (!string.Equals(_model, model, StringComparison.Ordinal))
            {
                throw Refused(
                    QwenErrorIds.BatchModelMismatch,
                    QwenErrorCategory.InvalidArgument,
                    "Request '" + customId + "' uses model '" + model + "', but the batch uses '" + _model + "': DashScope takes one model per batch file.",
                    target);
            }

            if (LineCount == _limits.MaxLines)
            {
                throw Refused(
                    QwenErrorIds.BatchLimitExceeded,
                    QwenErrorCategory.LimitsExceeded,
                    Format("A batch file holds at most {0:N0} requests ({1}); request '{2}' would be number {3:N0}. Split the input into several batches.", _limits.MaxLines, Kind(), customId, LineCount + 1),
                    target);
            }

            if (!_customIds.Add(customId))
            {
                throw Refused(QwenErrorIds.BatchDuplicateCustomId, QwenErrorCategory.InvalidArgument, "The custom id '" + customId + "' is used by more than one request; each must be unique in the batch.", target);
            }

            try
            {
                WriteLine(customId, writeBody);
            }
            catch (LineTooLongException)
            {
                _customIds.Remove(customId);
                throw LineTooLarge(customId, target);
            }

            long length = _line.Length + 1;
            if (Bytes + length > _limits.MaxFileBytes)
            {
                _customIds.Remove(customId);
                throw Refused(
                    QwenErrorIds.BatchLimitExceeded,
                    QwenErrorCategory.LimitsExceeded,
                    Format("The batch file would exceed {0} ({1}) with request '{2}'. Split the input into several batches.", Size(_limits.MaxFileBytes), Kind(), customId),
                    target);
            }

            _output.Write(_line.Buffer, 0, _line.Length);
            _output.WriteByte((byte)'\n');
            Bytes += length;
            LineCount++;
        }

        /// <summary>
        /// Refuses a text that alone would exceed the line limit, before any of it is serialised (a 100 MB document is
        /// never copied into a buffer). Inputs call this for their prompt or document text.
        /// </summary>
        public void EnsureFits(string text, string customId, object? target)
        {
            // Chars bound the UTF-8 bytes from below; count exactly only when it could matter.
            if (text.Length > _limits.MaxLineBytes || (text.Length * 3L > _limits.MaxLineBytes && System.Text.Encoding.UTF8.GetByteCount(text) > _limits.MaxLineBytes))
            {
                throw LineTooLarge(customId, target);
            }
        }

        public void Flush() => _output.Flush();

        public void Dispose()
        {
            _json.Dispose();
            _output.Dispose();
        }

        private void WriteLine(string customId, Action<Utf8JsonWriter> writeBody)
        {
            // One writer for every line (Reset), so a line allocates nothing of its own here.
            _line.Reset();
            _json.Reset(_line);
            _json.WriteStartObject();
            _json.WriteString("custom_id", customId);
            _json.WriteString("method", "POST");
            _json.WriteString("url", _url);
            _json.WritePropertyName("body");
            writeBody(_json);
            _json.WriteEndObject();
            _json.Flush();
        }

        private QwenException LineTooLarge(string customId, object? target) =>
            Refused(
                QwenErrorIds.BatchLimitExceeded,
                QwenErrorCategory.LimitsExceeded,
                Format("Request '{0}' is larger than the {1} a batch line may hold.", customId, Size(_limits.MaxLineBytes)),
                target);

        private string Kind() => _limits == BatchLimits.TestModelLimits ? "the limit for " + BatchLimits.TestModel : "DashScope's limit";

        private static QwenException Refused(string id, QwenErrorCategory category, string message, object? target) =>
            new QwenException(id, category, message) { Target = target };

        private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

        internal static string Size(long bytes) =>
            bytes >= 1024 * 1024
                ? (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
                : (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB";

        /// <summary>Thrown by the buffer when a line grows past the limit, before it holds more than the limit.</summary>
        private sealed class LineTooLongException : Exception
        {
        }

        /// <summary>A reusable growable buffer that refuses to grow past a cap (the line limit plus a little slack).</summary>
        private sealed class CappedBufferWriter : System.Buffers.IBufferWriter<byte>
        {
            private const int Slack = 64 * 1024;
            private readonly long _cap;
            private byte[] _buffer = new byte[4096];

            public CappedBufferWriter(long cap)
            {
                _cap = cap;
            }

            public byte[] Buffer => _buffer;

            public int Length { get; private set; }

            public void Reset() => Length = 0;

            public void Advance(int count)
            {
                Length += count;
                if (Length > _cap)
                {
                    throw new LineTooLongException();
                }
            }

            public Memory<byte> GetMemory(int sizeHint = 0)
            {
                Ensure(sizeHint);
                return _buffer.AsMemory(Length);
            }

            public Span<byte> GetSpan(int sizeHint = 0)
            {
                Ensure(sizeHint);
                return _buffer.AsSpan(Length);
            }

            private void Ensure(int sizeHint)
            {
                int needed = Length + Math.Max(sizeHint, 256);
                if (needed <= _buffer.Length)
                {
                    return;
                }

                // Utf8JsonWriter asks for 3 bytes a char before it writes a string, so a request above three times the cap
                // can only come from a string longer than the cap: refuse it rather than allocate for it.
                if (Length > _cap || needed > (3 * _cap) + Slack)
                {
                    throw new LineTooLongException();
                }

                long grown = Math.Max((long)_buffer.Length * 2, needed);
                Array.Resize(ref _buffer, (int)Math.Min(grown, Math.Max(needed, _cap + Slack)));
            }
        }
    }
}
