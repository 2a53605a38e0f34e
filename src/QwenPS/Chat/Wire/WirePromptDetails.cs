namespace QwenPS.Chat.Wire
{
    internal sealed class WirePromptDetails
    {
        public int? CachedTokens { get; set; }
    }
}
