using System;
using System.Text;
using QwenPS.Output;

namespace QwenPS.Chat
{
    /// <summary>
    /// Shapes streamed records into live console text: reasoning dim, the answer plain, a blank line where
    /// the reasoning ends and the answer begins, and a final newline. The text goes to the Information
    /// stream, so the pipeline and redirected output stay clean.
    /// With <c>wholeLines</c> (a host that is not an interactive console: runbooks, jobs, remoting, a hosted
    /// runspace; or a console whose text is recorded by a transcript or 6&gt;), text is written a whole line at a time,
    /// each line without its line break, so each information record, as logs and transcripts keep them, is a line of
    /// the answer rather than a fragment of a few characters.
    /// </summary>
    internal sealed class LiveDisplay
    {
        private readonly Action<LiveText> _write;
        private readonly bool _wholeLines;
        private readonly StringBuilder _line = new StringBuilder();
        private bool _lineDim;
        private QwenChunkKind? _last;
        private bool _endsWithNewLine = true;

        public LiveDisplay(Action<LiveText> write, bool wholeLines = false)
        {
            _write = write;
            _wholeLines = wholeLines;
        }

        public void OnRecord(object record)
        {
            if (!(record is QwenStreamChunk chunk) || chunk.Text.Length == 0)
            {
                return;
            }

            if (_last == QwenChunkKind.Reasoning && chunk.KindValue == QwenChunkKind.Content)
            {
                Write(_endsWithNewLine ? Environment.NewLine : Environment.NewLine + Environment.NewLine, dim: false);
            }

            _last = chunk.KindValue;

            // The model's text goes to the terminal as is: an escape sequence in it could rename the window or clear
            // the screen. Line breaks and tabs stay; the records and the response keep the text unchanged.
            Write(Errors.SecretRedactor.WithoutControlCharacters(chunk.Text, keepLineBreaks: true), dim: chunk.KindValue == QwenChunkKind.Reasoning);
            _endsWithNewLine = chunk.Text.EndsWith("\n", StringComparison.Ordinal);
        }

        /// <summary>Ends the display with a newline, so the prompt or the next output starts on its own line.</summary>
        public void Complete()
        {
            if (_last != null && !_endsWithNewLine)
            {
                Write(Environment.NewLine, dim: false);
                _endsWithNewLine = true;
            }

            Flush();
        }

        private void Write(string text, bool dim)
        {
            if (!_wholeLines)
            {
                _write(new LiveText(text, dim));
                return;
            }

            // A line keeps the look of its first piece: the answer starts on a line of its own (OnRecord), so a line is
            // all reasoning or all answer.
            if (_line.Length == 0)
            {
                _lineDim = dim;
            }

            // Only the new text can hold a line break: what is left of _line from before has none.
            int from = _line.Length;
            _line.Append(text);
            int start = 0;
            for (int i = from; i < _line.Length; i++)
            {
                if (_line[i] == '\n')
                {
                    int length = i > start && _line[i - 1] == '\r' ? i - 1 - start : i - start;
                    _write(new LiveText(_line.ToString(start, length), _lineDim, isLine: true));
                    _lineDim = dim;
                    start = i + 1;
                }
            }

            _line.Remove(0, start);
        }

        private void Flush()
        {
            if (_line.Length > 0)
            {
                _write(new LiveText(_line.ToString(), _lineDim));
                _line.Clear();
            }
        }
    }
}
