using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;

namespace QwenPS.Http
{
    /// <summary>How requests reach the internet: an explicit proxy, the proxy environment variables, or the system proxy.</summary>
    internal sealed class ProxySettings
    {
        public static readonly ProxySettings Default = new ProxySettings(null, null, false);

        public ProxySettings(Uri? proxy, NetworkCredential? credential, bool useDefaultCredentials)
        {
            Proxy = proxy;
            Credential = credential;
            UseDefaultCredentials = useDefaultCredentials;
        }

        public Uri? Proxy { get; }

        public NetworkCredential? Credential { get; }

        public bool UseDefaultCredentials { get; }

        /// <summary>A cache key that identifies the settings without holding the password in clear.</summary>
        internal string CacheKey(Func<string, string?> environment)
        {
            var key = new StringBuilder();
            key.Append(Proxy?.AbsoluteUri).Append('|').Append(UseDefaultCredentials).Append('|');
            if (Credential != null)
            {
                key.Append(Credential.Domain).Append('\\').Append(Credential.UserName).Append(':').Append(Hash(Credential.Password));
            }

            foreach (string name in new[] { "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy" })
            {
                key.Append('|').Append(Hash(environment(name) ?? string.Empty));
            }

            return key.ToString();
        }

        private static string Hash(string text)
        {
            using (var sha = SHA256.Create())
            {
                return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
            }
        }
    }

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
