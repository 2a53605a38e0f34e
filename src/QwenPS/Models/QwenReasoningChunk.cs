namespace QwenPS
{
    /// <summary>A piece of the model's reasoning (<c>delta.reasoning_content</c>).</summary>
    public sealed class QwenReasoningChunk : QwenStreamChunk
    {
        internal QwenReasoningChunk(string text)
            : base(text)
        {
        }

        internal override QwenChunkKind KindValue => QwenChunkKind.Reasoning;
    }
}
