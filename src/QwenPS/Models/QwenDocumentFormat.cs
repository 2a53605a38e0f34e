namespace QwenPS
{
    /// <summary>How Add-QwenDocument puts a document's text into its system message.</summary>
    public enum QwenDocumentFormat
    {
        /// <summary>The text itself is the content (the documented way).</summary>
        Text,

        /// <summary>A JSON string with content, file_type, filename and title (the older, no longer documented way).</summary>
        Json,
    }
}
