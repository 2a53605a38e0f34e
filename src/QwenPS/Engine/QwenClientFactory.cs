using System;
using System.Net.Http;
using QwenPS.Output;
using QwenPS.Session;
using QwenPS.Transport;

namespace QwenPS.Engine
{
    /// <summary>
    /// Builds clients from a cmdlet's settings: resolves the key, the endpoint and the proxy once (on the pipeline
    /// thread, before any request, so bad input fails first), then makes one <see cref="QwenClient"/> per output.
    /// Every client of one factory shares one <see cref="Deadline"/>, so -TimeoutSec bounds the command.
    /// </summary>
    internal sealed class QwenClientFactory
    {
        private readonly HttpClient _http;
        private readonly Uri _baseUri;
        private readonly ApiKey _key;
        private readonly QwenClientOptions _options;
        private readonly RetryPolicy _retry;
        private Deadline? _deadline;

        private QwenClientFactory(HttpClient http, Uri baseUri, ApiKey key, QwenClientOptions options)
        {
            _http = http;
            _baseUri = baseUri;
            _key = key;
            _options = options;
            _retry = new RetryPolicy(options.MaxRetry);
        }

        /// <summary>Safe to show: where requests go and where the key came from (never the key).</summary>
        public string Description => "Endpoint " + _baseUri + ", key from " + _key.Source + ".";

        private TimeSpan? TotalTimeout => _options.TimeoutSec > 0 ? TimeSpan.FromSeconds(_options.TimeoutSec) : (TimeSpan?)null;

        /// <summary>Resolves the options; a <see cref="QwenException"/> (InvalidArgument, no key...) when they are bad.</summary>
        public static QwenClientFactory Create(QwenClientOptions options)
        {
            if (options.ProxyCredential != null && options.ProxyUseDefaultCredentials)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "Specify -ProxyCredential or -ProxyUseDefaultCredentials, not both.") { Target = options.Proxy };
            }

            ConnectionDefaults? session = ConnectionOperations.Defaults(options.Scope);
            ConnectionDefaults? endpointDefaults = options.BaseUri == null && options.Region == null ? session : null;
            Uri baseUri = QwenEndpoints.Resolve(options.BaseUri, options.Region, endpointDefaults, options.Environment);
            ApiKey key = ApiKey.Resolve(options.ApiKey, session, options.Environment);
            HttpClient http = options.Http
                ?? HttpClientCache.Get(new ProxySettings(options.Proxy, options.ProxyCredential, options.ProxyUseDefaultCredentials), options.Environment);
            return new QwenClientFactory(http, baseUri, key, options);
        }

        /// <summary>A client that writes to <paramref name="output"/> (the pump of one engine run).</summary>
        public QwenClient CreateClient(IQwenOutput output)
        {
            var settings = new TransportSettings(_http, _baseUri, _key, output)
            {
                Retry = _retry,
                IdleTimeout = TimeSpan.FromSeconds(_options.IdleTimeoutSec),
                TotalTimeout = TotalTimeout,
            };
            _options.Configure?.Invoke(settings);

            // One clock for the whole command, started by its first client.
            settings.CommandDeadline ??= _deadline ??= new Deadline(settings.TotalTimeout);
            return new QwenClient(settings, _options.Scope);
        }
    }
}
