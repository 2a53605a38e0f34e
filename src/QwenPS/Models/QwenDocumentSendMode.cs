namespace QwenPS
{
    /// <summary>How Invoke-QwenDocumentChat gives each document to qwen-long.</summary>
    public enum QwenDocumentSendMode
    {
        /// <summary>Uploaded (or reused) and referenced by file id: any format qwen-long reads.</summary>
        File,

        /// <summary>Text files inline as a system message; other formats still go by file id.</summary>
        Text,
    }
}
