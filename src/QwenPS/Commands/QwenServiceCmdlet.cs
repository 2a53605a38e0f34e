using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using QwenPS.Engine;
using QwenPS.Http;

namespace QwenPS.Commands
{
    /// <summary>
    /// Base of the cmdlets that call DashScope: the key, the endpoint, the proxy, the timeouts and the retry
    /// budget, each with the same name and meaning everywhere.
    /// </summary>
    public abstract class QwenServiceCmdlet : QwenCmdlet
    {
        /// <summary>The DashScope API key; else Connect-Qwen's, else $env:DASHSCOPE_API_KEY.</summary>
        [Parameter]
        public SecureString? ApiKey { get; set; }

        [Parameter]
        public QwenRegion Region { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? ProxyCredential { get; set; }

        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

        /// <summary>The whole command's time budget in seconds, retries included; 0 for none.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <summary>The longest silence, in seconds, while waiting for the response or between stream chunks.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int IdleTimeoutSec { get; set; } = (int)QwenClientSettings.DefaultIdleTimeout.TotalSeconds;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetry { get; set; } = 3;

        /// <summary>
        /// Resolves key, endpoint and proxy on the pipeline thread (the Connect-Qwen defaults belong to this
        /// runspace) and before any request, so bad input fails first. Returns a factory for the engine.
        /// </summary>
        internal Func<IQwenOutput, QwenClient> ResolveClient()
        {
            if (ProxyCredential != null && ProxyUseDefaultCredentials.IsPresent)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "Specify -ProxyCredential or -ProxyUseDefaultCredentials, not both.") { Target = Proxy };
            }

            ConnectionDefaults? session = ConnectionStore.Get(RunspaceScope);
            QwenRegion? region = MyInvocation.BoundParameters.ContainsKey(nameof(Region)) ? Region : (QwenRegion?)null;
            ConnectionDefaults? endpointDefaults = BaseUri == null && region == null ? session : null;
            Uri baseUri = QwenEndpoints.Resolve(BaseUri, region, endpointDefaults, Environment);
            Http.ApiKey key = Http.ApiKey.Resolve(ApiKey, session, Environment);
            var proxy = new ProxySettings(Proxy, ProxyCredential?.GetNetworkCredential(), ProxyUseDefaultCredentials.IsPresent);
            System.Net.Http.HttpClient http = HttpClientCache.Get(proxy, Environment);
            var retry = new RetryPolicy(MaxRetry);
            TimeSpan idle = TimeSpan.FromSeconds(IdleTimeoutSec);
            TimeSpan? total = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;
            var commandDeadline = new Deadline(total);
            WriteVerbose("Endpoint " + baseUri + ", key from " + key.Source + ".");
            return output => new QwenClient(new QwenClientSettings(http, baseUri, key, output)
            {
                Retry = retry,
                IdleTimeout = idle,
                TotalTimeout = total,
                CommandDeadline = commandDeadline,
            });
        }

        /// <summary><see cref="ResolveClient"/>, ending the command with an ErrorRecord when the input is bad.</summary>
        internal Func<IQwenOutput, QwenClient> ResolveClientOrThrow()
        {
            try
            {
                return ResolveClient();
            }
            catch (QwenException error)
            {
                ThrowQwenError(error);
                throw;
            }
        }

        /// <summary>Runs engine work with a client; a QwenException ends the command as a terminating error.</summary>
        internal T RunWithClient<T>(Func<QwenClient, IQwenOutput, System.Threading.CancellationToken, System.Threading.Tasks.Task<T>> work, Action<QwenClient>? onClient = null)
        {
            try
            {
                Func<IQwenOutput, QwenClient> createClient = ResolveClient();
                return RunEngine((output, token) =>
                {
                    QwenClient client = createClient(output);
                    onClient?.Invoke(client);
                    return work(client, output, token);
                });
            }
            catch (QwenException error)
            {
                ThrowQwenError(error);
                throw;
            }
        }
    }
}
