using System.Globalization;

namespace QwenPS
{
    /// <summary>Token usage of one call. Cached and reasoning counts are null when the service did not report them.</summary>
    public sealed class QwenUsage
    {
        internal QwenUsage(int promptTokens, int completionTokens, int totalTokens, int? cachedTokens, int? reasoningTokens)
        {
            PromptTokens = promptTokens;
            CompletionTokens = completionTokens;
            TotalTokens = totalTokens;
            CachedTokens = cachedTokens;
            ReasoningTokens = reasoningTokens;
        }

        public int PromptTokens { get; }

        public int CompletionTokens { get; }

        public int TotalTokens { get; }

        public int? CachedTokens { get; }

        public int? ReasoningTokens { get; }

        /// <summary>Prompt tokens by modality (multimodal models; null when the service did not say).</summary>
        public int? PromptTextTokens { get; internal set; }

        public int? PromptImageTokens { get; internal set; }

        public int? PromptAudioTokens { get; internal set; }

        public int? PromptVideoTokens { get; internal set; }

        /// <summary>Completion tokens by modality: the text and, for a spoken answer, the audio (Qwen-Omni).</summary>
        public int? CompletionTextTokens { get; internal set; }

        public int? CompletionAudioTokens { get; internal set; }

        /// <summary>Tokens written to the explicit context cache by this call (billed above the input price).</summary>
        public int? CacheCreationTokens { get; internal set; }

        /// <summary>"ephemeral" (explicit cache) or "implicit"; null when the service did not say.</summary>
        public string? CacheType { get; internal set; }

        /// <summary>
        /// What the call cost by QwenPS's dated price table (docs/dashscope-notes.md, "Models and prices"); null when
        /// the model or the region the call went to has no price there. Set once, before the record is written.
        /// </summary>
        public QwenCost? Cost { get; internal set; }

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture, "prompt {0}, completion {1}, total {2}", PromptTokens, CompletionTokens, TotalTokens)
            + (Cost != null ? ", cost " + Cost : string.Empty);
    }
}
