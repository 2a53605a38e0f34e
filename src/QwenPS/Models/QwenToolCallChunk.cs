namespace QwenPS
{
    /// <summary>A complete tool call, written with -Stream once all its fragments have arrived and before it runs.</summary>
    public sealed class QwenToolCallChunk
    {
        internal QwenToolCallChunk(int round, QwenToolCall call, string commandLine)
        {
            Round = round;
            Call = call;
            CommandLine = commandLine;
        }

        public int Round { get; }

        public string? Id => Call.Id;

        public string Name => Call.Name;

        /// <summary>The arguments as the model wrote them (JSON text).</summary>
        public string Arguments => Call.Arguments;

        /// <summary>The call as it would be typed.</summary>
        public string CommandLine { get; }

        public QwenToolCall Call { get; }

        public override string ToString() => CommandLine;
    }
}
