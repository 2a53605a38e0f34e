using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Engine;
using QwenPS.Output;

namespace QwenPS.Commands
{
    /// <summary>
    /// Base of the cmdlets that call DashScope: the key, the endpoint, the proxy, the timeouts and the retry
    /// budget, each with the same name and meaning everywhere. <see cref="QwenClientFactory"/> turns them into clients.
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

        /// <summary>
        /// The longest timeout in seconds (24.8 days): .NET timers take at most int.MaxValue milliseconds on .NET
        /// Framework (Windows PowerShell 5.1), so a longer one would fail as a raw ArgumentOutOfRangeException.
        /// </summary>
        internal const int MaxTimeoutSeconds = int.MaxValue / 1000;

        /// <summary>The whole command's time budget in seconds, retries included; 0 for none.</summary>
        [Parameter]
        [ValidateRange(0, MaxTimeoutSeconds)]
        public int TimeoutSec { get; set; }

        /// <summary>The longest silence, in seconds, while waiting for the response or between stream chunks.</summary>
        [Parameter]
        [ValidateRange(1, MaxTimeoutSeconds)]
        public int IdleTimeoutSec { get; set; } = new QwenClientOptions().IdleTimeoutSec;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetry { get; set; } = new QwenClientOptions().MaxRetry;

        /// <summary>
        /// Resolves key, endpoint and proxy on the pipeline thread (the Connect-Qwen defaults belong to this
        /// runspace) and before any request, so bad input fails first; bad input ends the command.
        /// </summary>
        internal QwenClientFactory ResolveClient()
        {
            QwenClientFactory factory = Guard(() => QwenClientFactory.Create(ClientOptions()));
            WriteVerbose(factory.Description);
            return factory;
        }

        /// <summary>The connection parameters as <see cref="QwenClientOptions"/>.</summary>
        internal QwenClientOptions ClientOptions() => new QwenClientOptions
        {
            ApiKey = ApiKey,
            Region = MyInvocation.BoundParameters.ContainsKey(nameof(Region)) ? Region : (QwenRegion?)null,
            BaseUri = BaseUri,
            Proxy = Proxy,
            ProxyCredential = ProxyCredential?.GetNetworkCredential(),
            ProxyUseDefaultCredentials = ProxyUseDefaultCredentials.IsPresent,
            TimeoutSec = TimeoutSec,
            IdleTimeoutSec = IdleTimeoutSec,
            MaxRetry = MaxRetry,
            Scope = CreateRunspaceScope(),
            Environment = Environment,
        };

        /// <summary>Runs engine work with a client of <paramref name="factory"/>; a QwenException ends the command as a terminating error.</summary>
        internal T RunWithClient<T>(QwenClientFactory factory, Func<QwenClient, IQwenOutput, CancellationToken, Task<T>> work) =>
            Guard(() => RunEngine((output, token) => work(factory.CreateClient(output), output, token)));

        /// <summary><see cref="RunWithClient{T}(QwenClientFactory, Func{QwenClient, IQwenOutput, CancellationToken, Task{T}})"/> with a factory resolved now.</summary>
        internal T RunWithClient<T>(Func<QwenClient, IQwenOutput, CancellationToken, Task<T>> work) => RunWithClient(ResolveClient(), work);
    }
}
