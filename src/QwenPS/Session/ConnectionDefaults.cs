using System;
using System.Security;

namespace QwenPS.Session
{
    /// <summary>The defaults Connect-Qwen sets: key, endpoint and model for one runspace.</summary>
    internal sealed class ConnectionDefaults
    {
        public ConnectionDefaults(SecureString? apiKey, Uri? baseUri, QwenRegion? region, string? model)
        {
            ApiKey = apiKey;
            BaseUri = baseUri;
            Region = region;
            Model = model;
        }

        public SecureString? ApiKey { get; }

        public Uri? BaseUri { get; }

        public QwenRegion? Region { get; }

        public string? Model { get; }
    }
}
