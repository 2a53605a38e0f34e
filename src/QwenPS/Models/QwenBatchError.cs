namespace QwenPS
{
    /// <summary>One reason a batch failed as a whole (validation of the input file, or a fatal error).</summary>
    public sealed class QwenBatchError
    {
        internal QwenBatchError(string? code, string? message, int? line)
        {
            Code = code;
            Message = message;
            Line = line;
        }

        public string? Code { get; }

        public string? Message { get; }

        /// <summary>The 1-based line of the input file it is about, when the service said.</summary>
        public int? Line { get; }

        public override string ToString() => (Code ?? "error") + (Line.HasValue ? " (line " + Line.Value + ")" : string.Empty) + ": " + Message;
    }
}
