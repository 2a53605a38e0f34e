namespace QwenPS.Chat.Wire
{
    internal sealed class WireToolCall
    {
        public int? Index { get; set; }

        public string? Id { get; set; }

        public string? Type { get; set; }

        public WireFunction? Function { get; set; }
    }
}
