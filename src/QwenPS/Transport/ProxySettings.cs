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
}
