using System;
using System.Collections.Generic;
using System.Text.Json;
using QwenPS.Chat;
using QwenPS.Chat.Wire;

namespace QwenPS.Batch
{
    /// <summary>A result line as the public <see cref="QwenBatchResult"/>: the chat or embeddings body read, the error kept.</summary>
    internal static class BatchResultConverter
    {
        public const string MalformedCode = "malformed_result_line";

        /// <summary>The answer of a JSON batch is not usable JSON (not JSON, cut off, or off the schema); QwenPS's own code.</summary>
        public const string JsonAnswerInvalidCode = "json_answer_invalid";

        public static QwenBatchResult Convert(string batchId, BatchResultLine line, string fileId)
        {
            if (line.Malformed != null)
            {
                return new QwenBatchResult(batchId, line.CustomId ?? "(line " + line.LineNumber + " of " + fileId + ")", QwenBatchResultStatus.Failed)
                {
                    Error = line.Malformed,
                    ErrorCode = MalformedCode,
                };
            }

            var result = new QwenBatchResult(batchId, line.CustomId!, line.IsError ? QwenBatchResultStatus.Failed : QwenBatchResultStatus.Succeeded)
            {
                StatusCode = line.StatusCode,
                RequestId = line.RequestId,
                Error = line.IsError ? line.ErrorMessage : null,
                ErrorCode = line.IsError ? line.ErrorCode : null,
            };
            if (!line.IsError && line.Body.HasValue)
            {
                ReadBody(result, line.Body.Value);
            }

            return result;
        }

        /// <summary>A request the batch never ran (no line in either file).</summary>
        public static QwenBatchResult NotProcessed(QwenBatch batch, string customId) =>
            new QwenBatchResult(batch.Id, customId, QwenBatchResultStatus.NotProcessed)
            {
                ErrorCode = "not_processed",
                Error = batch.StatusValue == QwenBatchStatus.Expired ? "The batch expired before this request ran."
                    : batch.StatusValue == QwenBatchStatus.Cancelled ? "The batch was cancelled before this request ran."
                    : batch.StatusValue == QwenBatchStatus.Failed ? "The batch failed before this request ran."
                    : "The batch's result files have no line for this request.",
            };

        private static void ReadBody(QwenBatchResult result, JsonElement body)
        {
            if (body.TryGetProperty("choices", out _))
            {
                WireChatCompletion? completion;
                try
                {
                    completion = JsonSerializer.Deserialize(body, ChatJsonContext.Default.WireChatCompletion);
                }
                catch (JsonException ex)
                {
                    Fail(result, "The result body is not a chat completion: " + ex.Message);
                    return;
                }

                WireChoice? choice = completion?.Choices != null && completion.Choices.Count > 0 ? completion.Choices[0] : null;
                result.Content = choice?.Message?.Content ?? string.Empty;
                result.Reasoning = string.IsNullOrEmpty(choice?.Message?.ReasoningContent) ? null : choice!.Message!.ReasoningContent;
                result.FinishReason = choice?.FinishReason;
                result.Model = completion?.Model;
                result.Usage = ChatApi.ToUsage(completion?.Usage);
                return;
            }

            if (body.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Array)
            {
                var vectors = new List<float[]>();
                foreach (JsonElement item in data.EnumerateArray())
                {
                    if (item.TryGetProperty("embedding", out JsonElement embedding) && embedding.ValueKind == JsonValueKind.Array)
                    {
                        var vector = new float[embedding.GetArrayLength()];
                        int i = 0;
                        foreach (JsonElement number in embedding.EnumerateArray())
                        {
                            vector[i++] = number.ValueKind == JsonValueKind.Number ? number.GetSingle() : float.NaN;
                        }

                        vectors.Add(vector);
                    }
                }

                result.Embeddings = vectors;
                result.Model = body.TryGetProperty("model", out JsonElement model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null;
                if (body.TryGetProperty("usage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object)
                {
                    int prompt = Int(usage, "prompt_tokens");
                    result.Usage = new QwenUsage(prompt, 0, Int(usage, "total_tokens"), null, null);
                }
            }
        }

        private static int Int(JsonElement element, string name) =>
            element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : 0;

        private static void Fail(QwenBatchResult result, string message)
        {
            result.StatusValue = QwenBatchResultStatus.Failed;
            result.Error = message;
            result.ErrorCode = MalformedCode;
        }
    }
}
