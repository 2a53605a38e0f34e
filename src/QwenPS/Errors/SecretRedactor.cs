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

            return KeyShapes.Replace(result, m => m.Groups["prefix"].Success ? m.Groups["prefix"].Value + Mask : Mask);
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
