using System;
using System.Collections.Generic;

namespace QwenPS
{
    /// <summary>
    /// The result of one chat call. Pipe it back into Invoke-QwenChat to continue the conversation:
    /// <see cref="History"/> holds every message sent plus <see cref="Message"/> (the answer, without reasoning).
    /// </summary>
    public sealed class QwenChatResponse
    {
        internal QwenChatResponse(
            string content,
            string? reasoning,
            string? finishReason,
            QwenUsage? usage,
            string? model,
            string? id,
            string? requestId,
            DateTimeOffset? created,
            IReadOnlyList<QwenToolCall> toolCalls,
            IReadOnlyList<QwenMessage> sentMessages,
            bool incomplete)
        {
            Content = content;
            Reasoning = reasoning;
            FinishReason = finishReason;
            Usage = usage;
            Model = model;
            Id = id;
            RequestId = requestId;
            Created = created;
            ToolCalls = toolCalls;
            Incomplete = incomplete;

            // Partial mode: the answer continues the last, partial message; the history keeps one whole answer.
            QwenMessage? prefix = sentMessages.Count > 0 && sentMessages[sentMessages.Count - 1].Partial ? sentMessages[sentMessages.Count - 1] : null;
            FullContent = (prefix?.Content ?? string.Empty) + content;
            BoxedAnswer = QwenPS.BoxedAnswer.Extract(FullContent);
            Message = new QwenMessage(QwenRole.Assistant, FullContent, null, toolCalls);
            var history = new List<QwenMessage>(sentMessages.Count + 1);
            history.AddRange(sentMessages);
            if (prefix != null)
            {
                history.RemoveAt(history.Count - 1);
            }

            history.Add(Message);
            History = history.AsReadOnly();
        }

        /// <summary>The answer text.</summary>
        public string Content { get; }

        /// <summary>In partial mode the prefix sent plus <see cref="Content"/> (the continuation); otherwise Content.</summary>
        public string FullContent { get; }

        /// <summary>The inside of the last complete <c>\boxed{…}</c> of <see cref="FullContent"/> (math models), or null.</summary>
        public string? BoxedAnswer { get; }

        /// <summary>The reasoning ("deep thinking") text, or null when the model did not reason.</summary>
        public string? Reasoning { get; }

        /// <summary><c>stop</c>, <c>length</c>, <c>tool_calls</c>; null when the stream ended before the service said.</summary>
        public string? FinishReason { get; private set; }

        public QwenUsage? Usage { get; }

        /// <summary>The estimated cost of the call (<see cref="QwenUsage.Cost"/>); null without usage or a price.</summary>
        public QwenCost? Cost => Usage?.Cost;

        public string? Model { get; }

        public string? Id { get; }

        public string? RequestId { get; }

        public DateTimeOffset? Created { get; }

        public IReadOnlyList<QwenToolCall> ToolCalls { get; }

        /// <summary>The assistant message to keep in the history: the answer only, never the reasoning.</summary>
        public QwenMessage Message { get; }

        /// <summary>All messages sent, then <see cref="Message"/>.</summary>
        public IReadOnlyList<QwenMessage> History { get; }

        /// <summary>True when the call was cut short (broken stream, timeout, stop): the text is what arrived.</summary>
        public bool Incomplete { get; }

        /// <summary>The WAV file of a spoken answer (-Modality Audio), or null. Never sent back in the history.</summary>
        public string? AudioPath { get; internal set; }

        /// <summary>How long the spoken answer in <see cref="AudioPath"/> is, or null.</summary>
        public TimeSpan? AudioDuration { get; internal set; }

        /// <summary>The tool calls Invoke-QwenChat ran (or refused) in its tool loop, in order; empty without -Tool.</summary>
        public IReadOnlyList<QwenToolResult> ToolRuns { get; private set; } = Array.Empty<QwenToolResult>();

        /// <summary>This response as the tool loop's final answer: its runs, and the finish reason the loop gives
        /// (e.g. <c>max_tool_rounds</c> when it stopped the model) in place of the service's.</summary>
        internal QwenChatResponse WithToolRuns(IReadOnlyList<QwenToolResult> runs, string? finishReason)
        {
            var copy = (QwenChatResponse)MemberwiseClone();
            copy.ToolRuns = runs;
            copy.FinishReason = finishReason;
            return copy;
        }

        public override string ToString() => FullContent;
    }
}
