using System;
using System.Collections.Generic;
using System.Net;

namespace QwenPS.Transport
{
    /// <summary>
    /// HTTPS_PROXY / HTTP_PROXY / ALL_PROXY with NO_PROXY, read the way curl does. .NET Core reads these
    /// itself on Linux and macOS but not on Windows, and .NET Framework (Windows PowerShell 5.1) never does,
    /// so QwenPS reads them on every platform. When none is set the system proxy applies.
    /// </summary>
    internal sealed class EnvironmentProxy : IWebProxy
    {
        private readonly Uri? _httpsProxy;
        private readonly Uri? _httpProxy;
        private readonly string[] _bypass;

        private EnvironmentProxy(Uri? httpsProxy, Uri? httpProxy, string[] bypass)
        {
            _httpsProxy = httpsProxy;
            _httpProxy = httpProxy;
            _bypass = bypass;
        }

        public ICredentials? Credentials { get; set; }

        /// <summary>Null when no proxy variable is set (so the system proxy is used).</summary>
        public static EnvironmentProxy? FromEnvironment(Func<string, string?> environment)
        {
            Uri? all = Parse(Read(environment, "ALL_PROXY"));
            Uri? https = Parse(Read(environment, "HTTPS_PROXY")) ?? all;
            Uri? http = Parse(Read(environment, "HTTP_PROXY")) ?? all;
            if (https == null && http == null)
            {
                return null;
            }

            string? noProxy = Read(environment, "NO_PROXY");
            var bypass = new List<string>();
            if (!string.IsNullOrWhiteSpace(noProxy))
            {
                foreach (string entry in noProxy!.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    bypass.Add(entry.Trim().ToLowerInvariant());
                }
            }

            // The credentials are used (on a 407 challenge) and taken out of the URLs, which .NET quotes in its errors.
            Uri? withUser = https != null && !string.IsNullOrEmpty(https.UserInfo) ? https : http != null && !string.IsNullOrEmpty(http.UserInfo) ? http : null;
            var proxy = new EnvironmentProxy(WithoutUserInfo(https), WithoutUserInfo(http), bypass.ToArray());
            if (withUser != null)
            {
                proxy.Credentials = CredentialOf(withUser);
            }

            return proxy;
        }

        /// <summary>The user name and password in a URL's user info (percent-decoded), e.g. http://alice:s3cret@proxy:8080.</summary>
        internal static NetworkCredential CredentialOf(Uri uri)
        {
            string[] parts = uri.UserInfo.Split(new[] { ':' }, 2);
            return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
        }

        private static Uri? WithoutUserInfo(Uri? uri) =>
            uri == null || string.IsNullOrEmpty(uri.UserInfo) ? uri : new Uri(uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped));

        public Uri? GetProxy(Uri destination)
        {
            if (IsBypassed(destination))
            {
                return destination;
            }

            return destination.Scheme == Uri.UriSchemeHttps ? _httpsProxy : _httpProxy;
        }

        public bool IsBypassed(Uri host)
        {
            if (host.Scheme == Uri.UriSchemeHttps ? _httpsProxy == null : _httpProxy == null)
            {
                return true;
            }

            // Loopback never goes through a proxy (curl differs; nobody wants their local server proxied).
            if (QwenEndpoints.IsLoopback(host))
            {
                return true;
            }

            string name = host.Host.Trim('[', ']').ToLowerInvariant();
            foreach (string entry in _bypass)
            {
                if (entry == "*")
                {
                    return true;
                }

                // "example.com" and ".example.com" both match the domain and its subdomains; a port is ignored.
                string domain = entry;
                int colon = domain.LastIndexOf(':');
                if (colon > 0 && domain.IndexOf(':') == colon)
                {
                    domain = domain.Substring(0, colon);
                }

                domain = domain.TrimStart('*').TrimStart('.');
                if (name == domain || name.EndsWith("." + domain, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private static string? Read(Func<string, string?> environment, string name)
        {
            string? value = environment(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                value = environment(name.ToLowerInvariant());
            }

            return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }

        private static Uri? Parse(string? value)
        {
            if (value == null)
            {
                return null;
            }

            if (!value.Contains("://"))
            {
                value = "http://" + value;
            }

            return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) ? uri : null;
        }
    }
}
