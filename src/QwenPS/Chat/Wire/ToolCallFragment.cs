namespace QwenPS.Chat.Wire
{
    internal struct ToolCallFragment
    {
        public int Index;
        public string? Id;
        public string? Name;
        public string? Arguments;
    }
}
