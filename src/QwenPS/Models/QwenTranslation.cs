namespace QwenPS
{
    /// <summary>One translated text (Invoke-QwenTranslation): the source, the translation, the languages and what it used.</summary>
    public sealed class QwenTranslation
    {
        internal QwenTranslation(string sourceText, string text, string from, string to, string model, QwenUsage? usage, string? requestId, string? finishReason)
        {
            SourceText = sourceText;
            Text = text;
            From = from;
            To = to;
            Model = model;
            Usage = usage;
            RequestId = requestId;
            FinishReason = finishReason;
        }

        /// <summary>The text that was sent.</summary>
        public string SourceText { get; }

        /// <summary>The translation.</summary>
        public string Text { get; }

        /// <summary>The source language as sent: an English name, or auto (detected by the model).</summary>
        public string From { get; }

        /// <summary>The target language's English name.</summary>
        public string To { get; }

        public string Model { get; }

        public QwenUsage? Usage { get; }

        /// <summary>The estimated cost of the call (<see cref="QwenUsage.Cost"/>); null without usage or a price.</summary>
        public QwenCost? Cost => Usage?.Cost;

        public string? RequestId { get; }

        /// <summary><c>stop</c>, or <c>length</c> when the translation was cut.</summary>
        public string? FinishReason { get; }

        public override string ToString() => Text;
    }
}
