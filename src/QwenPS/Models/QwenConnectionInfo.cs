using System;

namespace QwenPS
{
    /// <summary>What Connect-Qwen set for this runspace. It never holds the key itself.</summary>
    public sealed class QwenConnectionInfo
    {
        internal QwenConnectionInfo(QwenRegion? region, Uri baseUri, string? model, string apiKeySource)
        {
            RegionValue = region;
            BaseUri = baseUri;
            Model = model;
            ApiKeySource = apiKeySource;
        }

        /// <summary>The region's name (Singapore, Beijing…), or null for a custom base URI: text, so that it exports as it reads.</summary>
        public string? Region => RegionValue?.ToString();

        internal QwenRegion? RegionValue { get; }

        public Uri BaseUri { get; }

        public string? Model { get; }

        /// <summary>Where the key comes from: <c>Connect-Qwen</c>, <c>DASHSCOPE_API_KEY</c>, or <c>None</c>.</summary>
        public string ApiKeySource { get; }

        public override string ToString() => BaseUri.ToString();
    }
}
