namespace QwenPS
{
    /// <summary>A piece of the model's answer (<c>delta.content</c>).</summary>
    public sealed class QwenContentChunk : QwenStreamChunk
    {
        internal QwenContentChunk(string text)
            : base(text)
        {
        }

        internal override QwenChunkKind KindValue => QwenChunkKind.Content;
    }
}
