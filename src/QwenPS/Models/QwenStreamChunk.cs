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
}
