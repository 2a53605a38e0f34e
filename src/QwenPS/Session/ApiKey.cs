using System;
using System.Runtime.InteropServices;
using System.Security;

namespace QwenPS.Session
{
    /// <summary>
    /// The API key for one command. A SecureString key is turned into text only while a request's header is
    /// built (<see cref="Reveal"/>), never stored as a string; ToString() never shows it.
    /// </summary>
    internal sealed class ApiKey
    {
        public const string EnvironmentVariable = "DASHSCOPE_API_KEY";

        private readonly SecureString? _secure;
        private readonly Func<string, string?>? _environment;

        private ApiKey(SecureString? secure, Func<string, string?>? environment, string source)
        {
            _secure = secure;
            _environment = environment;
            Source = source;
        }

        /// <summary>Where the key came from, safe to show: <c>-ApiKey</c>, <c>Connect-Qwen</c>, <c>DASHSCOPE_API_KEY</c>.</summary>
        public string Source { get; }

        /// <summary>
        /// -ApiKey, else the session default from Connect-Qwen, else $env:DASHSCOPE_API_KEY. Throws when none is set,
        /// when -ApiKey is given but empty (it never falls back silently), and when the key cannot be sent as an HTTP
        /// header token (see <see cref="Check"/>), so a pasted line break or zero-width space fails at once.
        /// </summary>
        public static ApiKey Resolve(SecureString? parameter, ConnectionDefaults? session, Func<string, string?> environment)
        {
            if (parameter != null)
            {
                if (parameter.Length == 0)
                {
                    throw new QwenException(
                        QwenErrorIds.MissingApiKey,
                        QwenErrorCategory.AuthenticationError,
                        "-ApiKey is an empty SecureString: pass the key, or leave -ApiKey out to use Connect-Qwen's key or $env:" + EnvironmentVariable + ".");
                }

                return Checked(new ApiKey(parameter, null, "-ApiKey"));
            }

            if (session?.ApiKey != null && session.ApiKey.Length > 0)
            {
                return Checked(new ApiKey(session.ApiKey, null, "Connect-Qwen"));
            }

            if (!string.IsNullOrWhiteSpace(environment(EnvironmentVariable)))
            {
                return Checked(new ApiKey(null, environment, EnvironmentVariable));
            }

            throw new QwenException(
                QwenErrorIds.MissingApiKey,
                QwenErrorCategory.AuthenticationError,
                "No DashScope API key. Pass -ApiKey, run Connect-Qwen -ApiKey, or set $env:" + EnvironmentVariable + ".");
        }

        private static ApiKey Checked(ApiKey key)
        {
            Check(key.Reveal(), key.Source);
            return key;
        }

        /// <summary>
        /// A DashScope key is printable ASCII with no spaces (e.g. <c>sk-</c> and hex). Anything else cannot go in the
        /// Authorization header: .NET would throw a FormatException (a line break) or fail the send as if the network
        /// were down (non-ASCII), after retries. The message names what is wrong and where, never the key.
        /// </summary>
        public static void Check(string key, string source)
        {
            for (int i = 0; i < key.Length; i++)
            {
                char c = key[i];
                if (c > 0x20 && c < 0x7F)
                {
                    continue;
                }

                string what = c == '\r' || c == '\n' ? "a line break"
                    : c == ' ' || c == '\t' ? "a space"
                    : c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\uFEFF' || c == '\u2060' ? "an invisible zero-width character (U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + ")"
                    : c < 0x20 || c == 0x7F ? "a control character"
                    : "the non-ASCII character U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
                throw new QwenException(
                    QwenErrorIds.InvalidApiKey,
                    QwenErrorCategory.AuthenticationError,
                    "The API key from " + source + " contains " + what + " at position " + (i + 1) + " of " + key.Length +
                    ": DashScope keys are printable ASCII without spaces. Copy the key again (pasting often adds such characters).");
            }
        }

        /// <summary>The key as text, for one request header. Callers must not keep it.</summary>
        public string Reveal()
        {
            if (_secure != null)
            {
                IntPtr pointer = IntPtr.Zero;
                try
                {
                    pointer = Marshal.SecureStringToGlobalAllocUnicode(_secure);
                    return Marshal.PtrToStringUni(pointer) ?? string.Empty;
                }
                finally
                {
                    if (pointer != IntPtr.Zero)
                    {
                        Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                    }
                }
            }

            return (_environment!(EnvironmentVariable) ?? string.Empty).Trim();
        }

        public override string ToString() => "ApiKey(" + Source + ")";
    }
}
