using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;

namespace QwenPS.Chat
{
    /// <summary>
    /// Structured output with repair: send, check the answer (JSON, not cut, conforming to the schema), and
    /// when it is unusable ask again with the problem, up to -MaxRepair times; then fail with
    /// <see cref="QwenErrorIds.JsonAnswerInvalid"/>, the raw text as the target.
    /// </summary>
    internal static class JsonAnswerRun
    {
        public static async Task<(QwenChatResponse Response, JsonElement Value)> RunAsync(
            Func<ChatRequest, Task<QwenChatResponse>> send,
            ChatRequest request,
            JsonSchemaSpec? schema,
            int maxRepair,
            Action<string> verbose,
            Action<QwenChatResponse>? onResponse)
        {
            for (int attempt = 0; ; attempt++)
            {
                QwenChatResponse response = await send(request).ConfigureAwait(false);
                onResponse?.Invoke(response);
                string? problem = JsonAnswerCheck.Problem(response.FullContent, response.FinishReason, schema, out JsonElement value);
                if (problem == null)
                {
                    return (response, value);
                }

                if (attempt >= maxRepair)
                {
                    string after = maxRepair == 0 ? string.Empty : " after " + Count(maxRepair, "repair");
                    throw new QwenException(QwenErrorIds.JsonAnswerInvalid, QwenErrorCategory.InvalidResult, "The answer could not be used" + after + ". " + problem)
                    {
                        Target = response.FullContent,
                        RequestId = response.RequestId,
                    };
                }

                verbose("Asking again (repair " + (attempt + 1).ToString(CultureInfo.InvariantCulture) + " of " + maxRepair.ToString(CultureInfo.InvariantCulture) + "): " + problem);
                var messages = new List<QwenMessage>(response.History) { new QwenMessage(QwenRole.User, JsonAnswerCheck.RepairPrompt(problem)) };
                request = request.WithMessages(messages);
            }
        }

        private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? string.Empty : "s");
    }
}
