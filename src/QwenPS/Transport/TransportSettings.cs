using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Output;
using QwenPS.Session;

namespace QwenPS.Transport
{
    /// <summary>What one command's client needs: where, with which key, how patient, and where to report.</summary>
    internal sealed class TransportSettings
    {
        public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(300);

        public TransportSettings(HttpClient http, Uri baseUri, ApiKey apiKey, IQwenOutput output)
        {
            Http = http;
            BaseUri = baseUri;
            Region = QwenEndpoints.RegionOf(baseUri);
            ApiKey = apiKey;
            Output = output;
        }

        public HttpClient Http { get; }

        public Uri BaseUri { get; }

        /// <summary>The region whose endpoint <see cref="BaseUri"/> is (what its calls are priced by); null for a custom base URI that is none of them.</summary>
        public QwenRegion? Region { get; set; }

        public ApiKey ApiKey { get; }

        public IQwenOutput Output { get; }

        public RetryPolicy Retry { get; set; } = new RetryPolicy();

        /// <summary>The longest silence allowed: waiting for the response headers, and between reads of a body.</summary>
        public TimeSpan IdleTimeout { get; set; } = DefaultIdleTimeout;

        /// <summary>The whole command's budget, retries and waits included; null for none.</summary>
        public TimeSpan? TotalTimeout { get; set; }

        /// <summary>
        /// The clock of that budget when several clients serve one command (Get-QwenFile and Remove-QwenFile
        /// make one per file id): they share it, so -TimeoutSec bounds the command, not each request.
        /// </summary>
        internal Deadline? CommandDeadline { get; set; }

        /// <summary>Shared by the clients of a many-worker command (Invoke-QwenDocumentChat): rates and pauses for all; null otherwise.</summary>
        internal RequestGate? Gate { get; set; }

        /// <summary>Waits between retries and polls; tests replace it to observe the waits.</summary>
        public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = (delay, token) => Task.Delay(delay, token);

        /// <summary>Waits between polls of a file's processing status (first poll is immediate).</summary>
        public Func<int, TimeSpan> PollInterval { get; set; } = poll => TimeSpan.FromMilliseconds(Math.Min(500 * Math.Pow(2, poll - 1), 5000));

        /// <summary>The smallest interval between two progress updates, so a fast upload does not flood the host.</summary>
        public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(200);

        /// <summary>The most pages a file listing follows (Get-QwenFile); 1,000 pages of up to 2,000 files each.</summary>
        public int MaxListPages { get; set; } = 1000;
    }
}
