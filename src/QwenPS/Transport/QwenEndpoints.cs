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
                            "$env:" + BaseUrlVariable + " is not an absolute URI.") { Target = fromEnvironment };
                    }
                }
            }

            return Validate(chosen ?? ForRegion(QwenRegion.Beijing));
        }

        /// <summary>HTTPS always; plain HTTP only to a loopback host (that is how the tests run).</summary>
        public static Uri Validate(Uri uri)
        {
            if (!uri.IsAbsoluteUri)
            {
                throw new QwenException(QwenErrorIds.InvalidEndpoint, QwenErrorCategory.InvalidArgument, "The base URI '" + uri + "' is not absolute.") { Target = uri };
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new QwenException(QwenErrorIds.InvalidEndpoint, QwenErrorCategory.SecurityError, "The base URI must not carry credentials.") { Target = uri.GetLeftPart(UriPartial.Scheme) + uri.Host };
            }

            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                return Normalize(uri);
            }

            if (uri.Scheme == Uri.UriSchemeHttp)
            {
                if (IsLoopback(uri))
                {
                    return Normalize(uri);
                }

                throw new QwenException(
                    QwenErrorIds.InsecureEndpoint,
                    QwenErrorCategory.SecurityError,
                    "Refusing to send the API key over plain HTTP to '" + uri.Host + "'. Use https:// (plain http:// is allowed only for loopback hosts).") { Target = uri };
            }

            throw new QwenException(QwenErrorIds.InvalidEndpoint, QwenErrorCategory.InvalidArgument, "The base URI must use https://.") { Target = uri };
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
