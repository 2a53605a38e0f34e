namespace QwenPS.Chat.Wire
{
    internal sealed class WireCompletionDetails
    {
        public int? ReasoningTokens { get; set; }
    }
}
