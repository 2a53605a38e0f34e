using System;

namespace QwenPS.Chat
{
    internal static class RequestIds
    {
        private const string CompletionPrefix = "chatcmpl-";

        /// <summary>DashScope's completion ids are <c>chatcmpl-</c> plus the request id (docs/dashscope-notes.md, "Request ids").</summary>
        public static string? FromCompletionId(string? id)
        {
            if (id != null && id.StartsWith(CompletionPrefix, StringComparison.Ordinal) && id.Length > CompletionPrefix.Length)
            {
                return id.Substring(CompletionPrefix.Length);
            }

            return null;
        }
    }
}
