namespace QwenPS.Chat.Wire
{
    internal sealed class WireChoice
    {
        public int Index { get; set; }

        public string? FinishReason { get; set; }

        public WireResponseMessage? Message { get; set; }
    }
}
