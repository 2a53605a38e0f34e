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

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture, "prompt {0}, completion {1}, total {2}", PromptTokens, CompletionTokens, TotalTokens);
    }
}
