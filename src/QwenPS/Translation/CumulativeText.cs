namespace QwenPS.Translation
{
    /// <summary>
    /// Turns the content of a translation stream into increments (docs/dashscope-notes.md, "Translation (Qwen-MT)"):
    /// qwen-mt-plus and -turbo repeat the whole text so far in every chunk, flash and lite send pieces. For a cumulative
    /// model a chunk that starts with the text so far gives only its new part; anything else is appended, so a model
    /// that streams pieces after all still reads right.
    /// </summary>
    internal sealed class CumulativeText
    {
        private readonly bool _cumulative;
        private string _text = string.Empty;

        public CumulativeText(bool cumulative)
        {
            _cumulative = cumulative;
        }

        /// <summary>The translation so far.</summary>
        public string Text => _text;

        /// <summary>Takes one chunk's content; returns the increment (empty when it added nothing).</summary>
        public string Add(string chunk)
        {
            string increment = _cumulative && _text.Length > 0 && chunk.StartsWith(_text, System.StringComparison.Ordinal)
                ? chunk.Substring(_text.Length)
                : chunk;
            _text += increment;
            return increment;
        }
    }
}
