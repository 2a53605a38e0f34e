using System;
using QwenPS.Output;

namespace QwenPS.Chat
{
    /// <summary>
    /// Shapes streamed records into live console text: reasoning dim, the answer plain, a blank line where
    /// the reasoning ends and the answer begins, and a final newline. The text goes to the Information
    /// stream, so the pipeline and redirected output stay clean.
    /// </summary>
    internal sealed class LiveDisplay
    {
        private readonly Action<LiveText> _write;
        private QwenChunkKind? _last;
        private bool _endsWithNewLine = true;

        public LiveDisplay(Action<LiveText> write)
        {
            _write = write;
        }

        public void OnRecord(object record)
        {
            if (!(record is QwenStreamChunk chunk) || chunk.Text.Length == 0)
            {
                return;
            }

            if (_last == QwenChunkKind.Reasoning && chunk.Kind == QwenChunkKind.Content)
            {
                _write(new LiveText(_endsWithNewLine ? Environment.NewLine : Environment.NewLine + Environment.NewLine, dim: false));
            }

            _last = chunk.Kind;
            _write(new LiveText(chunk.Text, dim: chunk.Kind == QwenChunkKind.Reasoning));
            _endsWithNewLine = chunk.Text.EndsWith("\n", StringComparison.Ordinal);
        }

        /// <summary>Ends the display with a newline, so the prompt or the next output starts on its own line.</summary>
        public void Complete()
        {
            if (_last != null && !_endsWithNewLine)
            {
                _write(new LiveText(Environment.NewLine, dim: false));
                _endsWithNewLine = true;
            }
        }
    }
}
