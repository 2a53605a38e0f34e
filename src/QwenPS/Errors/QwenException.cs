using System;

namespace QwenPS
{
    /// <summary>
    /// Every failure QwenPS reports. The cmdlets turn it into an ErrorRecord with <see cref="ErrorId"/>,
    /// <see cref="Category"/> and <see cref="Target"/>. Messages are redacted before they are stored here.
    /// </summary>
    public sealed class QwenException : Exception
    {
        public QwenException(string errorId, QwenErrorCategory category, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Category = category;
        }

        public string ErrorId { get; }

        /// <summary>The message, and what QwenPS added after the fact (such as where the audio that arrived was kept).</summary>
        public override string Message => _note == null ? base.Message : base.Message + " " + _note;

        private string? _note;

        /// <summary>Adds a sentence to the message (already redacted by the caller).</summary>
        internal void AppendToMessage(string note) => _note = _note == null ? note : _note + " " + note;

        public QwenErrorCategory Category { get; }

        /// <summary>The HTTP status, when the service answered.</summary>
        public int? StatusCode { get; internal set; }

        /// <summary>The service's own error code (<c>error.code</c> or the native <c>code</c>).</summary>
        public string? ServiceCode { get; internal set; }

        /// <summary>The service's error type (<c>error.type</c>), when given.</summary>
        public string? ServiceType { get; internal set; }

        /// <summary>The service's request id (header <c>x-request-id</c> or body <c>request_id</c>).</summary>
        public string? RequestId { get; internal set; }

        /// <summary>The object the error is about: the model for chat, the path or file id for files.</summary>
        public object? Target { get; internal set; }

        /// <summary>Seconds the service asked us to wait (Retry-After), when it did.</summary>
        public TimeSpan? RetryAfter { get; internal set; }

        /// <summary>True when the retry policy may try the request again.</summary>
        public bool IsTransient { get; internal set; }

        /// <summary>What arrived before a stream broke, marked incomplete; null when nothing did.</summary>
        public QwenChatResponse? PartialResponse { get; internal set; }

        /// <summary>How many attempts were made in all (1 when there was no retry).</summary>
        public int Attempts { get; internal set; } = 1;

        /// <summary>The same error with <paramref name="more"/> added to its message (the message cannot change later).</summary>
        internal QwenException WithMoreText(string more) =>
            new QwenException(ErrorId, Category, Message + " " + more, InnerException)
            {
                StatusCode = StatusCode,
                ServiceCode = ServiceCode,
                ServiceType = ServiceType,
                RequestId = RequestId,
                Target = Target,
                RetryAfter = RetryAfter,
                IsTransient = IsTransient,
                PartialResponse = PartialResponse,
                Attempts = Attempts,
            };
    }
}
