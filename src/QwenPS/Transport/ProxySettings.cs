using System;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace QwenPS.Transport
{
    /// <summary>How requests reach the internet: an explicit proxy, the proxy environment variables, or the system proxy.</summary>
    internal sealed class ProxySettings
    {
        public static readonly ProxySettings Default = new ProxySettings(null, null, false);

        /// <summary>
        /// A proxy URL with user info (<c>http://user:password@host:port</c>, as curl takes it) gives its credentials
        /// to the proxy unless <paramref name="credential"/> is given, and is kept without them: .NET never sends
        /// user info from a proxy URL by itself, and quotes the URL in its errors.
        /// </summary>
        public ProxySettings(Uri? proxy, NetworkCredential? credential, bool useDefaultCredentials)
        {
            if (proxy != null && proxy.IsAbsoluteUri && !string.IsNullOrEmpty(proxy.UserInfo))
            {
                credential ??= EnvironmentProxy.CredentialOf(proxy);
                proxy = new Uri(proxy.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped));
            }

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
}
