using System;

namespace QwenPS.Errors
{
    /// <summary>
    /// Stands in for a transport or parser exception inside a <see cref="QwenException"/>. The original can quote
    /// what the other side sent (a malformed header line, a proxy URL with its password, an error chunk) and so hold
    /// the key; PowerShell users reach inner exceptions through <c>$Error[0].Exception.InnerException</c>,
    /// <c>Get-Error</c>, <c>ConvertTo-Json</c> and <c>Export-Clixml</c>. This copy keeps the type name, the redacted
    /// message and the HResult of each exception in the chain, and nothing else (no stack, no fields, no data).
    /// </summary>
    internal sealed class RedactedException : Exception
    {
        private RedactedException(string originalType, string message, int hresult, Exception? inner)
            : base(message, inner)
        {
            OriginalType = originalType;
            HResult = hresult;
        }

        /// <summary>The full name of the exception this one replaces, e.g. System.Net.Http.HttpRequestException.</summary>
        public string OriginalType { get; }

        /// <summary>A redacted copy of <paramref name="exception"/> and its inner exceptions (at most 8 deep).</summary>
        public static RedactedException From(Exception exception, Func<string, string> redact)
        {
            var chain = new System.Collections.Generic.List<Exception>();
            for (Exception? e = exception; e != null && chain.Count < 8; e = e.InnerException)
            {
                chain.Add(e);
            }

            RedactedException? copy = null;
            for (int i = chain.Count - 1; i >= 0; i--)
            {
                Exception original = chain[i];
                copy = original is RedactedException already && i == chain.Count - 1
                    ? already
                    : new RedactedException(original.GetType().FullName ?? "Exception", redact(original.Message), original.HResult, copy);
            }

            return copy!;
        }

        public override string ToString() => OriginalType + ": " + Message + (InnerException != null ? " ---> " + InnerException : string.Empty);
    }
}
