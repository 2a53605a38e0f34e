namespace QwenPS.Chat.Wire
{
    internal sealed class WireUsage
    {
        public int PromptTokens { get; set; }

        public int CompletionTokens { get; set; }

        public int TotalTokens { get; set; }

        public WirePromptDetails? PromptTokensDetails { get; set; }

        public WireCompletionDetails? CompletionTokensDetails { get; set; }
    }
}
