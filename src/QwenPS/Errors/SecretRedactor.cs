using System;
using System.Text.RegularExpressions;

namespace QwenPS.Errors
{
    /// <summary>
    /// Removes API keys from any text QwenPS writes (Verbose, Debug, Warning, error messages). It knows the
    /// key in use (and masks it in any letter case, since a gateway may echo it upper- or lower-cased), masks
    /// anything shaped like a DashScope key or a bearer token, because a service message or a proxy page may
    /// echo a key we were not told about, and masks the password of any URL with user info
    /// (<c>http://user:password@proxy</c>: .NET quotes a proxy's URL in its tunnel errors). It also replaces
    /// control characters with spaces: the text goes to a terminal, where an escape sequence from the service
    /// could rename the window or clear the screen.
    /// </summary>
    internal static class SecretRedactor
    {
        internal const string Mask = "***";

        private static readonly Regex KeyShapes = new Regex(
            @"(?<prefix>Bearer\s+)[^\s""',;]+|\bsk-[A-Za-z0-9_\-]{6,}|(?<prefix>://[^\s/@:""']*:)[^\s/@""']+(?=@)",
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
                result = ReplaceIgnoringCase(result, knownKey, Mask);
            }

            // Most texts (every Verbose line of every call) hold neither shape; checking that is far cheaper than the regex.
            if (MayHoldKeyShape(result))
            {
                result = KeyShapes.Replace(result, m => m.Groups["prefix"].Success ? m.Groups["prefix"].Value + Mask : Mask);
            }

            return WithoutControlCharacters(result);
        }

        /// <summary>
        /// Control characters (C0, DEL, C1: ESC and CSI start terminal escape sequences) as spaces, runs of them as one.
        /// Tabs are kept; <paramref name="keepLineBreaks"/> also keeps <c>\n</c> (and <c>\r</c> before <c>\n</c>), for answer text.
        /// </summary>
        public static string WithoutControlCharacters(string text, bool keepLineBreaks = false)
        {
            int first = -1;
            for (int i = 0; i < text.Length; i++)
            {
                if (IsUnsafe(text, i, keepLineBreaks))
                {
                    first = i;
                    break;
                }
            }

            if (first < 0)
            {
                return text;
            }

            var builder = new System.Text.StringBuilder(text.Length);
            builder.Append(text, 0, first);
            bool lastWasReplaced = false;
            for (int i = first; i < text.Length; i++)
            {
                if (IsUnsafe(text, i, keepLineBreaks))
                {
                    if (!lastWasReplaced && (builder.Length == 0 || builder[builder.Length - 1] != ' '))
                    {
                        builder.Append(' ');
                    }

                    lastWasReplaced = true;
                }
                else
                {
                    builder.Append(text[i]);
                    lastWasReplaced = false;
                }
            }

            return builder.ToString();
        }

        private static bool IsUnsafe(string text, int index, bool keepLineBreaks)
        {
            char c = text[index];
            if (!(c < 0x20 || (c >= 0x7F && c <= 0x9F)))
            {
                return false;
            }

            // A tab moves the cursor and no more; a line break is kept only where the text is meant to have lines.
            return c != '\t' && (!keepLineBreaks || !(c == '\n' || (c == '\r' && index + 1 < text.Length && text[index + 1] == '\n')));
        }

        /// <summary>
        /// False only when <see cref="KeyShapes"/> cannot match: no "bearer" in any case, no URL with an '@', and no '-' after a k. The
        /// regex ignores case with the invariant table, where k also matches the Kelvin sign (U+212A); b, e, a, r have
        /// no such extra forms, so OrdinalIgnoreCase finds every "bearer" the regex would.
        /// </summary>
        private static bool MayHoldKeyShape(string text)
        {
            if (text.IndexOf("bearer", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }

            if (text.IndexOf('@') > 0 && text.IndexOf("://", StringComparison.Ordinal) >= 0)
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

        private static string ReplaceIgnoringCase(string text, string secret, string replacement)
        {
            int index = text.IndexOf(secret, StringComparison.OrdinalIgnoreCase);
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
                index = text.IndexOf(secret, start, StringComparison.OrdinalIgnoreCase);
            }

            builder.Append(text, start, text.Length - start);
            return builder.ToString();
        }
    }
}
