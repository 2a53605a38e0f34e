namespace QwenPS
{
    /// <summary>
    /// A piece of streamed text, written to the pipeline as it arrives. The two concrete types let a
    /// script keep one and drop the other: <c>| Where-Object { $_ -is [QwenPS.QwenContentChunk] }</c>.
    /// </summary>
    public abstract class QwenStreamChunk
    {
        private protected QwenStreamChunk(string text)
        {
            Text = text;
        }

        public abstract QwenChunkKind Kind { get; }

        public string Text { get; }

        public override string ToString() => Text;
    }

    /// <summary>A piece of the model's reasoning (<c>delta.reasoning_content</c>).</summary>
    public sealed class QwenReasoningChunk : QwenStreamChunk
    {
        internal QwenReasoningChunk(string text)
            : base(text)
        {
        }

        public override QwenChunkKind Kind => QwenChunkKind.Reasoning;
    }

    /// <summary>A piece of the model's answer (<c>delta.content</c>).</summary>
    public sealed class QwenContentChunk : QwenStreamChunk
    {
        internal QwenContentChunk(string text)
            : base(text)
        {
        }

        public override QwenChunkKind Kind => QwenChunkKind.Content;
    }
}
