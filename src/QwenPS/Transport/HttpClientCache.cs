using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;

namespace QwenPS.Transport
{

    /// <summary>
    /// One HttpClient per proxy configuration for the whole process, so connections are pooled and reused
    /// across calls and runspaces (a loop or ForEach-Object -Parallel does not open a socket per request).
    /// The clients hold no key: the Authorization header is set on each request.
    /// </summary>
    internal static class HttpClientCache
    {
        private static readonly ConcurrentDictionary<string, HttpClient> Clients = new ConcurrentDictionary<string, HttpClient>(StringComparer.Ordinal);

        public static HttpClient Get(ProxySettings settings, Func<string, string?> environment)
        {
            string key = settings.CacheKey(environment);
            return Clients.GetOrAdd(key, _ => Create(settings, environment));
        }

        internal static HttpClient Create(ProxySettings settings, Func<string, string?> environment)
        {
            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };

            // .NET Framework's default is 2 connections per host, which would serialise a parallel runbook.
            try
            {
                handler.MaxConnectionsPerServer = 256;
            }
            catch (PlatformNotSupportedException)
            {
            }

            if (settings.Proxy != null)
            {
                handler.UseProxy = true;
                handler.Proxy = new WebProxy(settings.Proxy)
                {
                    Credentials = settings.UseDefaultCredentials ? CredentialCache.DefaultCredentials : settings.Credential,
                };
            }
            else
            {
                EnvironmentProxy? fromEnvironment = EnvironmentProxy.FromEnvironment(environment);
                handler.UseProxy = true;
                if (fromEnvironment != null)
                {
                    if (settings.Credential != null || settings.UseDefaultCredentials)
                    {
                        fromEnvironment.Credentials = settings.UseDefaultCredentials ? CredentialCache.DefaultCredentials : settings.Credential;
                    }

                    handler.Proxy = fromEnvironment;
                }
                else if (settings.UseDefaultCredentials)
                {
                    handler.DefaultProxyCredentials = CredentialCache.DefaultCredentials;
                }
                else if (settings.Credential != null)
                {
                    handler.DefaultProxyCredentials = settings.Credential;
                }
            }

            // Timeouts are QwenPS's own (idle, response, total): HttpClient's single timeout would cut long thinking streams.
            return new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }
    }
}
