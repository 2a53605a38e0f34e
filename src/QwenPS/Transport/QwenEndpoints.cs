using System;
using System.Net;
using QwenPS.Session;

namespace QwenPS.Transport
{
    /// <summary>Where requests go: region base URLs (docs/dashscope-notes.md, "Endpoints and regions") and the rules a base URI must pass.</summary>
    internal static class QwenEndpoints
    {
        public const string BaseUrlVariable = "DASHSCOPE_COMPATIBLE_BASE_URL";

        public static Uri ForRegion(QwenRegion region)
        {
            switch (region)
            {
                case QwenRegion.Beijing:
                    return new Uri("https://dashscope.aliyuncs.com/compatible-mode/v1");
                case QwenRegion.Singapore:
                    return new Uri("https://dashscope-intl.aliyuncs.com/compatible-mode/v1");
                case QwenRegion.US:
                    return new Uri("https://dashscope-us.aliyuncs.com/compatible-mode/v1");
                case QwenRegion.HongKong:
                    return new Uri("https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1");
                default:
                    throw new QwenException(QwenErrorIds.InvalidEndpoint, QwenErrorCategory.InvalidArgument, "Unknown region '" + region + "'.") { Target = region };
            }
        }

        /// <summary>The region whose endpoint host <paramref name="baseUri"/> names (any path), or null for another host.</summary>
        public static QwenRegion? RegionOf(Uri baseUri)
        {
            foreach (QwenRegion region in (QwenRegion[])Enum.GetValues(typeof(QwenRegion)))
            {
                if (baseUri.IsAbsoluteUri && string.Equals(ForRegion(region).Host, baseUri.Host, StringComparison.OrdinalIgnoreCase))
                {
                    return region;
                }
            }

            return null;
        }

        /// <summary>
        /// -BaseUri, else -Region, else the session's default (Connect-Qwen -BaseUri or -Region), else $env:DASHSCOPE_COMPATIBLE_BASE_URL,
        /// else Beijing. The result is validated.
        /// </summary>
        public static Uri Resolve(Uri? baseUri, QwenRegion? region, ConnectionDefaults? session, Func<string, string?> environment)
        {
            if (baseUri != null && region != null)
            {
                throw new QwenException(
                    QwenErrorIds.InvalidArgument,
                    QwenErrorCategory.InvalidArgument,
                    "Specify -Region or -BaseUri, not both.") { Target = baseUri };
            }

            QwenRegion? effectiveRegion = region ?? (baseUri == null ? session?.Region : null);
            Uri? chosen = baseUri ?? (effectiveRegion != null ? ForRegion(effectiveRegion.Value) : null) ?? session?.BaseUri;
            if (chosen == null)
            {
                string? fromEnvironment = environment(BaseUrlVariable);
                if (!string.IsNullOrWhiteSpace(fromEnvironment))
                {
                    if (!Uri.TryCreate(fromEnvironment!.Trim(), UriKind.Absolute, out chosen))
                    {
                        throw new QwenException(
                            QwenErrorIds.InvalidEndpoint,
                            QwenErrorCategory.InvalidArgument,
                            "$env:" + BaseUrlVariable + " is not an absolute URI.") { Target = Shown(fromEnvironment) };
                    }
                }
            }

            return Validate(chosen ?? ForRegion(QwenRegion.Beijing));
        }

        /// <summary>
        /// HTTPS always; plain HTTP only to a loopback host (that is how the tests run). A base URI with a path that
        /// cannot be DashScope's OpenAI-compatible base (none at all, <c>/chat/completions</c> pasted on, the native
        /// <c>/api/v1</c> on a DashScope host) is refused with the base to use, instead of a bare 404 later. Errors
        /// show the URI without its query or user info (where a key may have been pasted) and never keep the Uri.
        /// The path rules are in docs/dashscope-notes.md ("Base URI mistakes QwenPS refuses").
        /// </summary>
        public static Uri Validate(Uri uri)
        {
            if (!uri.IsAbsoluteUri)
            {
                throw new QwenException(
                    QwenErrorIds.InvalidEndpoint,
                    QwenErrorCategory.InvalidArgument,
                    "The base URI '" + Shown(uri.OriginalString) + "' is not absolute: start it with https://, e.g. " + ForRegion(QwenRegion.Beijing) + ".") { Target = Shown(uri.OriginalString) };
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new QwenException(QwenErrorIds.InvalidEndpoint, QwenErrorCategory.SecurityError, "The base URI must not carry credentials.") { Target = Shown(uri) };
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
            {
                throw new QwenException(
                    QwenErrorIds.InsecureEndpoint,
                    QwenErrorCategory.SecurityError,
                    "Refusing to send the API key over plain HTTP to '" + uri.Host + "'. Use https:// (plain http:// is allowed only for loopback hosts).") { Target = Shown(uri) };
            }

            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            {
                throw new QwenException(QwenErrorIds.InvalidEndpoint, QwenErrorCategory.InvalidArgument, "The base URI must use https://.") { Target = Shown(uri) };
            }

            Uri normalized = Normalize(uri);
            string path = normalized.AbsolutePath.TrimEnd('/');
            string? mistake = null;
            string suggestion = normalized.GetLeftPart(UriPartial.Authority) + CompatiblePath;
            foreach (string pasted in PastedEndpoints)
            {
                if (path.EndsWith(pasted, StringComparison.OrdinalIgnoreCase))
                {
                    mistake = "ends with the endpoint " + pasted + ": give only the base, the part before it";
                    suggestion = normalized.GetLeftPart(UriPartial.Authority) + path.Substring(0, path.Length - pasted.Length);
                    break;
                }
            }

            if (mistake == null && path.Length == 0)
            {
                mistake = "has no path; DashScope's OpenAI-compatible base ends with " + CompatiblePath;
            }
            else if (mistake == null && normalized.Host.EndsWith(".aliyuncs.com", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(CompatiblePath, StringComparison.OrdinalIgnoreCase))
            {
                mistake = "is not the OpenAI-compatible base (" + CompatiblePath + ") that QwenPS speaks";
            }

            if (mistake != null)
            {
                throw new QwenException(
                    QwenErrorIds.InvalidEndpoint,
                    QwenErrorCategory.InvalidArgument,
                    "The base URI '" + Shown(uri) + "' " + mistake + ". Use -BaseUri " + suggestion + " (or -Region).") { Target = Shown(uri) };
            }

            return normalized;
        }

        private const string CompatiblePath = "/compatible-mode/v1";

        private static readonly string[] PastedEndpoints = { "/chat/completions", "/completions", "/files", "/embeddings" };

        /// <summary>A URI as errors show it: scheme, host, port and path, without user info, query or fragment.</summary>
        internal static string Shown(Uri uri) => Shown(uri.OriginalString);

        internal static string Shown(string text)
        {
            int cut = text.IndexOfAny(new[] { '?', '#' });
            string head = cut >= 0 ? text.Substring(0, cut) : text;
            int at = head.LastIndexOf('@');
            int scheme = head.IndexOf("://", StringComparison.Ordinal);
            if (at >= 0 && (scheme < 0 || at > scheme))
            {
                head = (scheme >= 0 ? head.Substring(0, scheme + 3) : string.Empty) + head.Substring(at + 1);
            }

            return Errors.SecretRedactor.Redact(head);
        }

        internal static bool IsLoopback(Uri uri)
        {
            if (uri.IsLoopback)
            {
                return true;
            }

            string host = uri.Host.Trim('[', ']');
            return IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address);
        }

        /// <summary>Drops a trailing slash so request paths can be appended as <c>base + "/chat/completions"</c>.</summary>
        private static Uri Normalize(Uri uri)
        {
            string text = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return new Uri(text, UriKind.Absolute);
        }

        public static Uri Combine(Uri baseUri, string relative)
        {
            return new Uri(baseUri.AbsoluteUri.TrimEnd('/') + relative, UriKind.Absolute);
        }
    }
}
