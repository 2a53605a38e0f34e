namespace QwenPS.Chat.Wire
{
    internal sealed class WireFunction
    {
        public string? Name { get; set; }

        public string? Arguments { get; set; }
    }
}
