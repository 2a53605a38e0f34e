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
    /// runspace), text is written a whole line at a time, so each information record, as logs and transcripts
    /// keep them, is a line of the answer rather than a fragment of a few characters.
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

            if (_last == QwenChunkKind.Reasoning && chunk.Kind == QwenChunkKind.Content)
            {
                Write(_endsWithNewLine ? Environment.NewLine : Environment.NewLine + Environment.NewLine, dim: false);
            }

            _last = chunk.Kind;

            // The model's text goes to the terminal as is: an escape sequence in it could rename the window or clear
            // the screen. Line breaks and tabs stay; the records and the response keep the text unchanged.
            Write(Errors.SecretRedactor.WithoutControlCharacters(chunk.Text, keepLineBreaks: true), dim: chunk.Kind == QwenChunkKind.Reasoning);
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

            if (_line.Length > 0 && dim != _lineDim)
            {
                Flush();
            }

            _lineDim = dim;
            _line.Append(text);
            int end = LastLineEnd(_line);
            if (end > 0)
            {
                _write(new LiveText(_line.ToString(0, end), dim));
                _line.Remove(0, end);
            }
        }

        private void Flush()
        {
            if (_line.Length > 0)
            {
                _write(new LiveText(_line.ToString(), _lineDim));
                _line.Clear();
            }
        }

        private static int LastLineEnd(StringBuilder text)
        {
            for (int i = text.Length - 1; i >= 0; i--)
            {
                if (text[i] == '\n')
                {
                    return i + 1;
                }
            }

            return 0;
        }
    }
}
