namespace QwenPS.Engine
{
    /// <summary>New-QwenMessage's rules: content is required, and a tool message needs the id of the call it answers.</summary>
    internal static class MessageFactory
    {
        public static QwenMessage Create(QwenRole role, string? content, string? toolCallId)
        {
            if (content == null || content.Length == 0)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "A message needs content.") { Target = role };
            }

            if (role == QwenRole.Tool && string.IsNullOrWhiteSpace(toolCallId))
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "A tool message needs -ToolCallId: the id of the call it answers.") { Target = role };
            }

            if (role != QwenRole.Tool && toolCallId != null)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-ToolCallId applies only to tool messages.") { Target = toolCallId };
            }

            return new QwenMessage(role, content, toolCallId, null);
        }

        /// <summary>What a message-building cmdlet passes through unchanged: messages and chat responses.</summary>
        public static bool IsConversationItem(object? item) => item is QwenMessage || item is QwenChatResponse;
    }
}
