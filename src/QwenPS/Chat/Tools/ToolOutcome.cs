namespace QwenPS.Chat.Tools
{
    /// <summary>How one call ended and the text for the model (before the length cap).</summary>
    internal readonly struct ToolOutcome
    {
        public ToolOutcome(QwenToolStatus status, string content)
        {
            Status = status;
            Content = content;
        }

        public QwenToolStatus Status { get; }

        public string Content { get; }
    }
}
