namespace QwenPS.Completions.Wire
{
    internal sealed class WireTextChoice
    {
        public string? Text { get; set; }

        public string? FinishReason { get; set; }
    }
}
