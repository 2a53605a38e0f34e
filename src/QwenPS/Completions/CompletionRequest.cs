namespace QwenPS.Completions
{
    /// <summary>One fill-in-the-middle call: the prompt built from prefix and suffix, and the optional sampling fields.</summary>
    internal sealed class CompletionRequest
    {
        public CompletionRequest(string model, string prefix, string? suffix)
        {
            Model = model;
            Prefix = prefix;
            Suffix = suffix;
        }

        public string Model { get; }

        public string Prefix { get; }

        /// <summary>Null for a continuation (prefix only).</summary>
        public string? Suffix { get; }

        /// <summary>
        /// The FIM prompt (docs/dashscope-notes.md, "Code completion (fill in the middle)"):
        /// <c>&lt;|fim_prefix|&gt;P&lt;|fim_suffix|&gt;S&lt;|fim_middle|&gt;</c>, or <c>&lt;|fim_prefix|&gt;P&lt;|fim_suffix|&gt;</c> without a suffix.
        /// </summary>
        public string Prompt => "<|fim_prefix|>" + Prefix + "<|fim_suffix|>" + (Suffix != null ? Suffix + "<|fim_middle|>" : string.Empty);

        public bool Stream { get; set; }

        public int? MaxTokens { get; set; }

        public double? Temperature { get; set; }

        public double? TopP { get; set; }

        public string[]? Stop { get; set; }

        public int? Seed { get; set; }

        public double? PresencePenalty { get; set; }
    }
}
