namespace QwenPS.Catalog
{
    /// <summary>The token counts of one call that its price depends on (from the usage object, docs/dashscope-notes.md).</summary>
    internal readonly struct BilledTokens
    {
        public BilledTokens(long promptTokens, long completionTokens, long cachedTokens = 0, long cacheCreationTokens = 0,
            bool explicitCache = false, long reasoningTokens = 0, long promptAudioTokens = 0, long promptImageTokens = 0,
            long completionAudioTokens = 0)
        {
            PromptTokens = promptTokens;
            CompletionTokens = completionTokens;
            CachedTokens = cachedTokens;
            CacheCreationTokens = cacheCreationTokens;
            ExplicitCache = explicitCache;
            ReasoningTokens = reasoningTokens;
            PromptAudioTokens = promptAudioTokens;
            PromptImageTokens = promptImageTokens;
            CompletionAudioTokens = completionAudioTokens;
        }

        /// <summary>All input tokens, cached and cache-creation tokens included.</summary>
        public long PromptTokens { get; }

        /// <summary>All output tokens, reasoning included (thinking is billed as output).</summary>
        public long CompletionTokens { get; }

        /// <summary>Input tokens read from a cache (part of <see cref="PromptTokens"/>).</summary>
        public long CachedTokens { get; }

        /// <summary>Input tokens written to an explicit cache (part of <see cref="PromptTokens"/>).</summary>
        public long CacheCreationTokens { get; }

        /// <summary>The cache used was the explicit (cache_control) one, billed differently from the implicit cache.</summary>
        public bool ExplicitCache { get; }

        public long ReasoningTokens { get; }

        public long PromptAudioTokens { get; }

        /// <summary>Image and video input tokens.</summary>
        public long PromptImageTokens { get; }

        public long CompletionAudioTokens { get; }
    }
}
