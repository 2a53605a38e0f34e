using System.Collections.Generic;

namespace QwenPS.Engine
{
    /// <summary>New-QwenMessage's rules: content is required, and a tool message needs the id of the call it answers.</summary>
    internal static class MessageFactory
    {
        /// <summary>
        /// <paramref name="partial"/>: partial mode (assistant only). <paramref name="cache"/>: the content becomes one
        /// text part with the explicit cache marker (docs/dashscope-notes.md, "Context cache").
        /// </summary>
        public static QwenMessage Create(QwenRole role, string? content, string? toolCallId, bool partial = false, bool cache = false)
        {
            if (partial && role != QwenRole.Assistant)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-Partial applies only to assistant messages: the model continues the assistant's text.") { Target = role };
            }

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

            var message = new QwenMessage(role, content, toolCallId, null, partial);
            return cache ? WithCache(message) : message;
        }

        /// <summary>
        /// The message with the explicit cache marker on its last content part; plain text becomes one text part
        /// (docs/dashscope-notes.md, "Context cache").
        /// </summary>
        public static QwenMessage WithCache(QwenMessage message)
        {
            if (message.Parts.Count == 0)
            {
                return message.WithParts(new[] { QwenContentPart.FromText(message.Content ?? string.Empty).WithCache() });
            }

            var parts = new List<QwenContentPart>(message.Parts);
            parts[parts.Count - 1] = parts[parts.Count - 1].WithCache();
            return message.WithParts(parts);
        }

        /// <summary>What a message-building cmdlet passes through unchanged: messages and chat responses.</summary>
        public static bool IsConversationItem(object? item) => item is QwenMessage || item is QwenChatResponse;
    }
}
