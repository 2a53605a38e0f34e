namespace QwenPS.Chat.Wire
{
    internal sealed class WirePromptDetails
    {
        public int? CachedTokens { get; set; }

        public int? TextTokens { get; set; }

        public int? ImageTokens { get; set; }

        public int? AudioTokens { get; set; }

        public int? VideoTokens { get; set; }

        /// <summary>Tokens written to the explicit cache (docs/dashscope-notes.md, "Context cache").</summary>
        public int? CacheCreationInputTokens { get; set; }

        public WireCacheCreation? CacheCreation { get; set; }

        /// <summary>"ephemeral" or "implicit".</summary>
        public string? CacheType { get; set; }
    }
}
