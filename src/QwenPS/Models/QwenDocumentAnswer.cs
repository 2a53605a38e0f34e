namespace QwenPS
{
    /// <summary>
    /// Invoke-QwenDocumentChat's result for one document: the answer, or the error that stopped it (then
    /// <see cref="Error"/> and <see cref="ErrorId"/> are set and the answer fields are null). Flat, so that
    /// Export-Csv and ConvertTo-Json give one clean row per document.
    /// </summary>
    public sealed class QwenDocumentAnswer
    {
        internal QwenDocumentAnswer(
            string document,
            string name,
            string? fileId,
            bool reused,
            string? content,
            string? reasoning,
            QwenUsage? usage,
            string? model,
            string? requestId,
            string? error,
            string? errorId)
        {
            Document = document;
            Name = name;
            FileId = fileId;
            Reused = reused;
            Content = content;
            Reasoning = reasoning;
            Usage = usage;
            Model = model;
            RequestId = requestId;
            Error = error;
            ErrorId = errorId;
        }

        /// <summary>The document as it was given: the full path of a local file, or the file id.</summary>
        public string Document { get; }

        /// <summary>The file name (of the local file, or as stored), or the id when no name is known.</summary>
        public string Name { get; }

        /// <summary>The file id the conversation referenced; null when the document went inline as text or never got one.</summary>
        public string? FileId { get; }

        /// <summary>True when the file id came from an earlier upload of the same bytes (no upload this time).</summary>
        public bool Reused { get; }

        /// <summary>The answer text; null when the document failed.</summary>
        public string? Content { get; }

        public string? Reasoning { get; }

        public QwenUsage? Usage { get; }

        /// <summary>The estimated cost of the document's chat call (<see cref="QwenUsage.Cost"/>); null without usage or a price.</summary>
        public QwenCost? Cost => Usage?.Cost;

        public string? Model { get; }

        /// <summary>The service's request id of the chat call, or of the failed request.</summary>
        public string? RequestId { get; }

        /// <summary>Why this document has no answer (the ErrorRecord's message); null when it succeeded.</summary>
        public string? Error { get; }

        /// <summary>The stable error id (see about_QwenPS); null when it succeeded.</summary>
        public string? ErrorId { get; }

        /// <summary>True when there is an answer.</summary>
        public bool Succeeded => Error == null;

        public override string ToString() => Content ?? Error ?? string.Empty;
    }
}
