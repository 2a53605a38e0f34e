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

        /// <summary>Reasoning or Content: text, so that records export as they read.</summary>
        public string Kind => KindValue.ToString();

        internal abstract QwenChunkKind KindValue { get; }

        public string Text { get; }

        public override string ToString() => Text;
    }
}
