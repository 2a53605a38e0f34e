namespace QwenPS.Completions.Wire
{
    internal sealed class WireTextUsage
    {
        public int PromptTokens { get; set; }

        public int CompletionTokens { get; set; }

        public int TotalTokens { get; set; }
    }
}
