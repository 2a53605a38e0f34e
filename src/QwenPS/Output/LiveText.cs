namespace QwenPS.Output
{
    /// <summary>
    /// A piece of live display text: reasoning is shown dim, the answer plain. <see cref="IsLine"/> marks a whole line
    /// given without its line break, written like Write-Host 'line' (the host ends the line), so that a 6&gt; file or a
    /// log that keeps each record as a line gets the line once, with no empty line after it.
    /// </summary>
    internal readonly struct LiveText
    {
        public LiveText(string text, bool dim, bool isLine = false)
        {
            Text = text;
            Dim = dim;
            IsLine = isLine;
        }

        public string Text { get; }

        public bool Dim { get; }

        public bool IsLine { get; }
    }
}
