using System;
using System.Collections.Generic;

namespace QwenPS
{
    /// <summary>
    /// One chat message. There is deliberately no reasoning property: the history sent back to the
    /// service carries the assistant's answer only, never its reasoning (reference §4).
    /// </summary>
    public sealed class QwenMessage
    {
        private static readonly IReadOnlyList<QwenToolCall> NoToolCalls = new QwenToolCall[0];

        public QwenMessage(QwenRole role, string? content)
            : this(role, content, null, null)
        {
        }

        public QwenMessage(QwenRole role, string? content, string? toolCallId, IReadOnlyList<QwenToolCall>? toolCalls)
        {
            Role = role;
            Content = content;
            ToolCallId = toolCallId;
            ToolCalls = toolCalls ?? NoToolCalls;
        }

        public QwenRole Role { get; }

        public string? Content { get; }

        /// <summary>For a tool message: the id of the tool call it answers.</summary>
        public string? ToolCallId { get; }

        /// <summary>For an assistant message: the tools the model asked to call.</summary>
        public IReadOnlyList<QwenToolCall> ToolCalls { get; }

        /// <summary>True for a <c>fileid://</c> system message (a document reference for qwen-long).</summary>
        public bool IsFileReference =>
            Role == QwenRole.System && Content != null && Content.StartsWith(FileReferencePrefix, StringComparison.Ordinal);

        internal const string FileReferencePrefix = "fileid://";

        public override string ToString() => Role.ToString().ToLowerInvariant() + ": " + Content;
    }
}
