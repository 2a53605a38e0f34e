using System.Collections.Generic;

namespace QwenPS
{
    /// <summary>
    /// One chat request built from messages, for Start-QwenBatch: the conversation to send and, optionally, the id
    /// its result comes back under. New-QwenChatRequest makes one.
    /// </summary>
    public sealed class QwenChatRequest
    {
        internal QwenChatRequest(IReadOnlyList<QwenMessage> messages, string? customId)
        {
            Messages = messages;
            CustomId = customId;
        }

        public IReadOnlyList<QwenMessage> Messages { get; }

        /// <summary>The batch custom id; null lets Start-QwenBatch generate one.</summary>
        public string? CustomId { get; }

        public override string ToString()
        {
            string last = Messages.Count == 0 ? string.Empty : Messages[Messages.Count - 1].ToString();
            return (CustomId == null ? string.Empty : CustomId + ": ") + last;
        }
    }
}
