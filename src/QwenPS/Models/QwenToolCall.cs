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

        /// <summary>The arguments read into an ordered, case-insensitive dictionary (splat it: <c>@($call.ArgumentTable)</c>);
        /// null when the model wrote something that is not a JSON object.</summary>
        public System.Collections.Specialized.OrderedDictionary? ArgumentTable => ToolArgumentReader.TryParse(Arguments, out _);

        public override string ToString() => Name + "(" + Arguments + ")";
    }
}
