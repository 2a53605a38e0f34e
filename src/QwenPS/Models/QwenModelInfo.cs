using System.Collections.Generic;

namespace QwenPS
{
    /// <summary>
    /// One model of the catalog QwenPS ships (Get-QwenModel): where it runs, its limits, how it thinks and streams,
    /// what it can do, and its prices as text (per million tokens, from the dated table in <see cref="PricesAsOf"/>).
    /// Limits the public pages do not state are null.
    /// </summary>
    public sealed class QwenModelInfo
    {
        internal QwenModelInfo(string name, string family, QwenRegion[] regions, long? contextTokens, long? maxInputTokens, long? maxOutputTokens,
            QwenThinkingMode thinking, bool streamOnly, bool cumulativeStream, string[] capabilities, string prices, string pricesAsOf)
        {
            Name = name;
            Family = family;
            Regions = new QwenList<QwenRegion>(regions, ", ");
            ContextTokens = contextTokens;
            MaxInputTokens = maxInputTokens;
            MaxOutputTokens = maxOutputTokens;
            ThinkingValue = thinking;
            StreamOnly = streamOnly;
            CumulativeStream = cumulativeStream;
            Capabilities = new QwenList<string>(capabilities, ", ");
            Prices = prices;
            PricesAsOf = pricesAsOf;
        }

        /// <summary>The name to pass to -Model.</summary>
        public string Name { get; }

        public string Family { get; }

        /// <summary>The regions that serve the model.</summary>
        public QwenList<QwenRegion> Regions { get; }

        public long? ContextTokens { get; }

        public long? MaxInputTokens { get; }

        public long? MaxOutputTokens { get; }

        /// <summary>None, OffByDefault, OnByDefault (hybrid models) or Always (thinking-only models).</summary>
        /// <summary>None, OffByDefault, OnByDefault or Always: text, so that the catalog exports as it reads.</summary>
        public string Thinking => ThinkingValue.ToString();

        internal QwenThinkingMode ThinkingValue { get; }

        /// <summary>The model answers only when streamed; QwenPS streams it and returns one response.</summary>
        public bool StreamOnly { get; }

        /// <summary>Streamed chunks repeat the whole text so far (Qwen-MT plus and turbo); QwenPS hands out increments.</summary>
        public bool CumulativeStream { get; }

        /// <summary>Chat, Tools, Json, Partial, Cache, Search, Batch, Code, FillInTheMiddle, Translation, Math, Vision, Video, AudioInput, AudioOutput, Documents.</summary>
        public QwenList<string> Capabilities { get; }

        /// <summary>Input/output prices per million tokens by region and input tier, e.g. "Beijing CNY: 0-32K 2.5/10; 32K-128K 4/16"; empty when unknown.</summary>
        public string Prices { get; }

        /// <summary>The month of the price table, e.g. 2026-04.</summary>
        public string PricesAsOf { get; }

        public override string ToString() => Name;
    }
}
