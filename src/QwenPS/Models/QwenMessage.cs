using System;
using System.Collections.Generic;
using System.Text;

namespace QwenPS
{
    /// <summary>
    /// One chat message: plain text (<see cref="Content"/>), or content parts (<see cref="Parts"/>: text, images,
    /// audio, video) for multimodal models. There is deliberately no reasoning property: the history sent back to
    /// the service carries the assistant's answer only, never its reasoning (docs/dashscope-notes.md, "Multi-turn").
    /// </summary>
    public sealed class QwenMessage
    {
        private static readonly IReadOnlyList<QwenToolCall> NoToolCalls = new QwenList<QwenToolCall>(new QwenToolCall[0]);
        private static readonly IReadOnlyList<QwenContentPart> NoParts = new QwenContentPart[0];

        /// <summary>
        /// A plain text message. Public because scripts build messages with <c>[QwenPS.QwenMessage]::new('User', 'Hello')</c>
        /// (documented in New-QwenMessage's help); every other constructor is internal.
        /// </summary>
        public QwenMessage(QwenRole role, string? content)
            : this(role, content, null, null)
        {
        }

        internal QwenMessage(QwenRole role, string? content, string? toolCallId, IReadOnlyList<QwenToolCall>? toolCalls, bool partial = false)
        {
            RoleValue = role;
            Content = content;
            ToolCallId = toolCallId;
            ToolCalls = toolCalls == null || toolCalls.Count == 0 ? NoToolCalls : toolCalls as QwenList<QwenToolCall> ?? new QwenList<QwenToolCall>(new List<QwenToolCall>(toolCalls));
            Parts = NoParts;
            Partial = partial;
        }

        /// <summary>A message of content parts; <see cref="Content"/> is then their text, joined.</summary>
        internal QwenMessage(QwenRole role, IReadOnlyList<QwenContentPart> parts, bool partial = false)
            : this(role, JoinText(parts), null, null, partial)
        {
            Parts = parts.Count > 0 ? parts : throw new ArgumentException("A message of parts needs at least one part.", nameof(parts));
        }

        /// <summary>The same message with other content parts (e.g. a cache marker added or dropped); role, tool call id,
        /// tool calls and the partial flag are kept.</summary>
        internal QwenMessage WithParts(IReadOnlyList<QwenContentPart> parts) =>
            new QwenMessage(RoleValue, parts, Partial) { ToolCallId = ToolCallId, ToolCalls = ToolCalls };

        /// <summary>System, User, Assistant or Tool: text, so that ConvertTo-Json and Export-Csv write the name, and a saved
        /// message binds back to -Role.</summary>
        public string Role => RoleValue.ToString();

        internal QwenRole RoleValue { get; }

        /// <summary>The text: the whole content of a plain message, or the text parts of a multimodal one (null when it has none).</summary>
        public string? Content { get; }

        /// <summary>The content parts; empty for a plain text message (sent as a string).</summary>
        public IReadOnlyList<QwenContentPart> Parts { get; }

        /// <summary>
        /// For the last, assistant message: the model continues this text instead of answering anew (partial mode;
        /// the answer does not repeat the prefix).
        /// </summary>
        public bool Partial { get; }

        /// <summary>For a tool message: the id of the tool call it answers.</summary>
        public string? ToolCallId { get; private set; }

        /// <summary>For an assistant message: the tools the model asked to call.</summary>
        public IReadOnlyList<QwenToolCall> ToolCalls { get; private set; }

        /// <summary>True for a <c>fileid://</c> system message (a document reference for qwen-long).</summary>
        public bool IsFileReference =>
            RoleValue == QwenRole.System && Parts.Count == 0 && Content != null && Content.StartsWith(FileReferencePrefix, StringComparison.Ordinal);

        internal const string FileReferencePrefix = "fileid://";

        public override string ToString() => Role.ToLowerInvariant() + ": " + (Parts.Count == 0 ? Content : string.Join(" ", Parts));

        private static string? JoinText(IReadOnlyList<QwenContentPart> parts)
        {
            StringBuilder? text = null;
            foreach (QwenContentPart part in parts)
            {
                if (part.KindValue == QwenContentPartKind.Text)
                {
                    text = text == null ? new StringBuilder(part.Text) : text.Append('\n').Append(part.Text);
                }
            }

            return text?.ToString();
        }
    }
}
