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

        /// <summary>-ApiKey, else the session default from Connect-Qwen, else $env:DASHSCOPE_API_KEY. Throws when none is set.</summary>
        public static ApiKey Resolve(SecureString? parameter, ConnectionDefaults? session, Func<string, string?> environment)
        {
            if (parameter != null && parameter.Length > 0)
            {
                return new ApiKey(parameter, null, "-ApiKey");
            }

            if (session?.ApiKey != null && session.ApiKey.Length > 0)
            {
                return new ApiKey(session.ApiKey, null, "Connect-Qwen");
            }

            if (!string.IsNullOrWhiteSpace(environment(EnvironmentVariable)))
            {
                return new ApiKey(null, environment, EnvironmentVariable);
            }

            throw new QwenException(
                QwenErrorIds.MissingApiKey,
                QwenErrorCategory.AuthenticationError,
                "No DashScope API key. Pass -ApiKey, run Connect-Qwen -ApiKey, or set $env:" + EnvironmentVariable + ".");
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
