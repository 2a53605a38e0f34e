namespace QwenPS.Chat.Wire
{
    internal sealed class WirePromptDetails
    {
        public int? CachedTokens { get; set; }

        public int? TextTokens { get; set; }

        public int? ImageTokens { get; set; }

        public int? AudioTokens { get; set; }

        public int? VideoTokens { get; set; }
    }
}
