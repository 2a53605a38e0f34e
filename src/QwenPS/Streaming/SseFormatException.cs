using System;

namespace QwenPS.Streaming
{
    /// <summary>The stream broke the SSE framing rules beyond repair (an event over the size limit).</summary>
    internal sealed class SseFormatException : Exception
    {
        public SseFormatException(string message)
            : base(message)
        {
        }
    }
}
