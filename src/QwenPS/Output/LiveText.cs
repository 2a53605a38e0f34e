namespace QwenPS.Output
{
    /// <summary>A piece of live display text: reasoning is shown dim, the answer plain.</summary>
    internal readonly struct LiveText
    {
        public LiveText(string text, bool dim)
        {
            Text = text;
            Dim = dim;
        }

        public string Text { get; }

        public bool Dim { get; }
    }
}
