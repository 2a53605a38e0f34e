using System;

namespace QwenPS.Chat
{
    /// <summary>A stream chunk would have taken the answer past <see cref="ChatStreamAggregator.MaxChars"/>.</summary>
    internal sealed class ResponseTooLargeException : Exception
    {
        public ResponseTooLargeException(int maxChars)
            : base("The answer would pass " + maxChars + " characters.")
        {
            MaxChars = maxChars;
        }

        public int MaxChars { get; }
    }
}
