namespace QwenPS
{
    /// <summary>The code a fill-in-the-middle call generated (Invoke-QwenCodeCompletion), with the prefix and suffix it went between.</summary>
    public sealed class QwenCodeCompletion
    {
        internal QwenCodeCompletion(string text, string prefix, string? suffix, string? finishReason, QwenUsage? usage, string model, string? requestId)
        {
            Text = text;
            Prefix = prefix;
            Suffix = suffix;
            FinishReason = finishReason;
            Usage = usage;
            Model = model;
            RequestId = requestId;
        }

        /// <summary>The generated code: the middle between prefix and suffix, or the continuation of the prefix.</summary>
        public string Text { get; }

        public string Prefix { get; }

        /// <summary>Null when only a prefix was given.</summary>
        public string? Suffix { get; }

        /// <summary><c>stop</c>, or <c>length</c> when -MaxTokens cut the text.</summary>
        public string? FinishReason { get; }

        public QwenUsage? Usage { get; }

        /// <summary>The estimated cost of the call (<see cref="QwenUsage.Cost"/>); null without usage or a price.</summary>
        public QwenCost? Cost => Usage?.Cost;

        public string Model { get; }

        public string? RequestId { get; }

        public override string ToString() => Text;
    }
}
