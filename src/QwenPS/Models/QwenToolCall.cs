namespace QwenPS
{
    /// <summary>A function call the model asked for. <see cref="Arguments"/> is the JSON text the model wrote.</summary>
    public sealed class QwenToolCall
    {
        internal QwenToolCall(int index, string? id, string name, string arguments)
        {
            Index = index;
            Id = id;
            Name = name;
            Arguments = arguments;
        }

        public int Index { get; }

        public string? Id { get; }

        public string Type => "function";

        public string Name { get; }

        public string Arguments { get; }

        public override string ToString() => Name + "(" + Arguments + ")";
    }
}
