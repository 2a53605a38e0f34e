using System;
using System.Net;
using System.Net.Http;
using System.Security;
using QwenPS.Session;
using QwenPS.Transport;

namespace QwenPS.Engine
{
    /// <summary>
    /// The connection settings a cmdlet was given, as plain values (every QwenServiceCmdlet parameter of the same
    /// name): what <see cref="QwenClientFactory"/> turns into clients. Null and 0 mean "not given".
    /// </summary>
    internal sealed class QwenClientOptions
    {
        public SecureString? ApiKey { get; set; }

        public QwenRegion? Region { get; set; }

        public Uri? BaseUri { get; set; }

        public Uri? Proxy { get; set; }

        public NetworkCredential? ProxyCredential { get; set; }

        public bool ProxyUseDefaultCredentials { get; set; }

        /// <summary>The whole command's budget in seconds; 0 for none.</summary>
        public int TimeoutSec { get; set; }

        public int IdleTimeoutSec { get; set; } = (int)TransportSettings.DefaultIdleTimeout.TotalSeconds;

        public int MaxRetry { get; set; } = RetryPolicy.DefaultMaxRetries;

        /// <summary>The runspace whose Connect-Qwen defaults apply (the key of <see cref="ConnectionStore"/>); null for none.</summary>
        public object? Scope { get; set; }

        /// <summary>Where environment variables are read (the key, the base URL, the proxy variables).</summary>
        public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

        /// <summary>The HttpClient to use; null for the shared one of this proxy configuration (HttpClientCache).</summary>
        public HttpClient? Http { get; set; }

        /// <summary>A last word on each client's settings (the test fixture and the benchmarks use it; cmdlets do not).</summary>
        public Action<TransportSettings>? Configure { get; set; }
    }
}
