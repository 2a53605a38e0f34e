using System.Collections.Generic;

namespace QwenPS.Chat
{
    /// <summary>
    /// -Continue: resend a piped response's history with its cut answer as the partial assistant message, so the
    /// model goes on where it stopped (docs/dashscope-notes.md, "Partial mode"). The new response's FullContent
    /// is then the whole answer.
    /// </summary>
    internal static class ContinueRequest
    {
        public static IReadOnlyList<QwenMessage> Messages(IEnumerable<object> pipelineItems, string? prompt)
        {
            QwenChatResponse? response = null;
            foreach (object item in pipelineItems)
            {
                if (!(item is QwenChatResponse piped))
                {
                    throw Nothing("-Continue continues one piped response; remove the other messages (" + item.GetType().Name + ").", item);
                }

                response = piped;
            }

            if (response == null)
            {
                throw Nothing("-Continue needs the response to continue: $response | Invoke-QwenChat -Continue.", null);
            }

            if (prompt != null)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-Continue cannot take -Prompt: the continued answer must be the last message. Continue first, then pipe the result with -Prompt.") { Target = prompt };
            }

            if (response.FinishReason != "length" && !response.Incomplete)
            {
                throw Nothing("The answer is complete (finish reason " + (response.FinishReason ?? "none") + "): nothing to continue. -Continue takes an answer cut by the token limit (finish reason length) or a broken stream.", response);
            }

            var messages = new List<QwenMessage>(response.History);
            QwenMessage answer = messages[messages.Count - 1];
            messages[messages.Count - 1] = new QwenMessage(QwenRole.Assistant, answer.Content, null, answer.ToolCalls, partial: true);
            return messages;
        }

        private static QwenException Nothing(string message, object? target) =>
            new QwenException(QwenErrorIds.NothingToContinue, QwenErrorCategory.InvalidArgument, message) { Target = target };
    }
}
