namespace QwenPS.Chat.Wire
{
    internal sealed class WireCompletionDetails
    {
        public int? ReasoningTokens { get; set; }

        public int? TextTokens { get; set; }

        public int? AudioTokens { get; set; }
    }
}
