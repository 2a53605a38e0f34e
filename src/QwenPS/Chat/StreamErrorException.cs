using System;
using QwenPS.Errors;

namespace QwenPS.Chat
{
    /// <summary>A stream chunk carried an <c>error</c> object instead of a delta. The message is fixed: the service's
    /// own text is unredacted here, and this exception ends up as an inner exception, whose text is shown.</summary>
    internal sealed class StreamErrorException : Exception
    {
        public StreamErrorException(ServiceError error)
            : base("A stream chunk carried an error object.")
        {
            Error = error;
        }

        public ServiceError Error { get; }
    }
}
