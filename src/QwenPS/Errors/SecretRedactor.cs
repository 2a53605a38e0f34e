using System;
using System.Text.RegularExpressions;

namespace QwenPS.Errors
{
    /// <summary>
    /// Removes API keys from any text QwenPS writes (Verbose, Debug, Warning, error messages). It knows the
    /// key in use and also masks anything shaped like a DashScope key or a bearer token, because a service
    /// message or a proxy page may echo a key we were not told about.
    /// </summary>
    internal static class SecretRedactor
    {
        internal const string Mask = "***";

        private static readonly Regex KeyShapes = new Regex(
            @"(?<prefix>Bearer\s+)[^\s""',;]+|\bsk-[A-Za-z0-9_\-]{6,}",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        public static string Redact(string? text, string? knownKey = null)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? string.Empty;
            }

            string result = text!;
            if (!string.IsNullOrEmpty(knownKey) && knownKey!.Length >= 4)
            {
                result = ReplaceOrdinal(result, knownKey, Mask);
            }

            // Most texts (every Verbose line of every call) hold neither shape; checking that is far cheaper than the regex.
            if (!MayHoldKeyShape(result))
            {
                return result;
            }

            return KeyShapes.Replace(result, m => m.Groups["prefix"].Success ? m.Groups["prefix"].Value + Mask : Mask);
        }

        /// <summary>
        /// False only when <see cref="KeyShapes"/> cannot match: no "bearer" in any case, and no '-' after a k. The
        /// regex ignores case with the invariant table, where k also matches the Kelvin sign (U+212A); b, e, a, r have
        /// no such extra forms, so OrdinalIgnoreCase finds every "bearer" the regex would.
        /// </summary>
        private static bool MayHoldKeyShape(string text)
        {
            if (text.IndexOf("bearer", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }

            for (int dash = text.IndexOf('-', 1); dash > 0; dash = text.IndexOf('-', dash + 1))
            {
                char k = text[dash - 1];
                if (k == 'k' || k == 'K' || k == '\u212A')
                {
                    return true;
                }
            }

            return false;
        }

        private static string ReplaceOrdinal(string text, string secret, string replacement)
        {
            int index = text.IndexOf(secret, StringComparison.Ordinal);
            if (index < 0)
            {
                return text;
            }

            var builder = new System.Text.StringBuilder(text.Length);
            int start = 0;
            while (index >= 0)
            {
                builder.Append(text, start, index - start).Append(replacement);
                start = index + secret.Length;
                index = text.IndexOf(secret, start, StringComparison.Ordinal);
            }

            builder.Append(text, start, text.Length - start);
            return builder.ToString();
        }
    }
}
