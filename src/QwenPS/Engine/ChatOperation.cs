using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Http;
using QwenPS.Wire;

namespace QwenPS.Engine
{
    /// <summary>Invoke-QwenChat's parameters as plain values; null means "not given".</summary>
    internal sealed class ChatOptions
    {
        public string? Model { get; set; }

        public string? Prompt { get; set; }

        public bool Stream { get; set; }

        public bool Live { get; set; }

        public bool? EnableThinking { get; set; }

        public int? ThinkingBudget { get; set; }

        public double? Temperature { get; set; }

        public double? TopP { get; set; }

        public int? TopK { get; set; }

        public int? MaxTokens { get; set; }

        public int? Seed { get; set; }

        public IReadOnlyList<string>? Stop { get; set; }

        public double? PresencePenalty { get; set; }

        public IReadOnlyDictionary<string, object?>? AdditionalParameters { get; set; }
    }

    /// <summary>
    /// Invoke-QwenChat's behaviour, apart from parameter binding: assembling the conversation from the
    /// pipeline, choosing the model and whether to stream, and writing records as they arrive.
    /// </summary>
    internal static class ChatOperation
    {
        /// <summary>
        /// The messages to send, in pipeline order: a piped <see cref="QwenChatResponse"/> contributes its
        /// history (so the answer is kept and the reasoning is not), a <see cref="QwenMessage"/> itself; then
        /// -Prompt as the final user message.
        /// </summary>
        public static IReadOnlyList<QwenMessage> BuildMessages(IEnumerable<object> pipelineItems, string? prompt)
        {
            var messages = new List<QwenMessage>();
            foreach (object item in pipelineItems)
            {
                switch (item)
                {
                    case QwenMessage message:
                        messages.Add(message);
                        break;
                    case QwenChatResponse response:
                        messages.AddRange(response.History);
                        break;
                    default:
                        throw new QwenException(
                            QwenErrorIds.InvalidArgument,
                            QwenErrorCategory.InvalidArgument,
                            "Invoke-QwenChat takes QwenMessage and QwenChatResponse objects; got " + item.GetType().FullName + ".") { Target = item };
                }
            }

            if (prompt != null)
            {
                if (prompt.Trim().Length == 0)
                {
                    throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-Prompt is empty.") { Target = prompt };
                }

                messages.Add(new QwenMessage(QwenRole.User, prompt));
            }

            if (messages.Count == 0)
            {
                throw new QwenException(
                    QwenErrorIds.InvalidArgument,
                    QwenErrorCategory.InvalidArgument,
                    "Nothing to send: give -Prompt, or pipe messages from New-QwenMessage or a previous response.");
            }

            return messages;
        }

        /// <summary>-Model, else the model of a piped conversation, else Connect-Qwen's default, else qwen-plus.</summary>
        public static string ResolveModel(string? model, IEnumerable<object> pipelineItems, ConnectionDefaults? session)
        {
            if (model != null)
            {
                if (model.Trim().Length == 0)
                {
                    throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-Model is blank.") { Target = model };
                }

                return model.Trim();
            }

            string? fromConversation = null;
            foreach (object item in pipelineItems)
            {
                if (item is QwenChatResponse response && !string.IsNullOrEmpty(response.Model))
                {
                    fromConversation = response.Model;
                }
            }

            return fromConversation ?? session?.Model ?? ModelCatalog.DefaultModel;
        }

        /// <summary>Builds the request; streams when asked, when the model is stream-only, or when thinking is on.</summary>
        public static ChatRequest BuildRequest(ChatOptions options, IReadOnlyList<QwenMessage> messages, string model, Action<string> verbose)
        {
            bool stream = options.Stream || options.Live;
            if (!stream && ModelCatalog.IsStreamOnly(model))
            {
                verbose(model + " answers only when streamed: streaming it and returning one response.");
                stream = true;
            }
            else if (!stream && options.EnableThinking == true)
            {
                verbose("Thinking is on, which many models allow only when streamed: streaming and returning one response.");
                stream = true;
            }
            else if (!stream && options.EnableThinking == null && ModelCatalog.ThinksByDefault(model))
            {
                verbose(model + " thinks by default, which many models allow only when streamed: streaming and returning one response (-EnableThinking:$false turns thinking off).");
                stream = true;
            }

            return new ChatRequest(model, messages)
            {
                Stream = stream,
                EnableThinking = options.EnableThinking,
                ThinkingBudget = options.ThinkingBudget,
                Temperature = options.Temperature,
                TopP = options.TopP,
                TopK = options.TopK,
                MaxTokens = options.MaxTokens,
                Seed = options.Seed,
                Stop = options.Stop,
                PresencePenalty = options.PresencePenalty,
                AdditionalParameters = options.AdditionalParameters,
            };
        }

        /// <summary>
        /// Runs the call. With -Stream, records go to the output as they arrive; without it, the one response
        /// does. With -Live, the text is also shown through <see cref="IQwenOutput.WriteLive"/>. When a stream
        /// breaks without -Stream, the partial response (marked incomplete) is written before the error.
        /// </summary>
        public static async Task<QwenChatResponse> RunAsync(QwenClient client, ChatRequest request, ChatOptions options, IQwenOutput output, CancellationToken cancellationToken)
        {
            LiveDisplay? live = options.Live ? new LiveDisplay(output.WriteLive) : null;
            Action<object>? onRecord = null;
            if (options.Stream || live != null)
            {
                onRecord = record =>
                {
                    if (options.Stream)
                    {
                        output.WriteObject(record);
                    }

                    live?.OnRecord(record);
                };
            }

            try
            {
                QwenChatResponse response = await client.ChatAsync(request, onRecord, cancellationToken).ConfigureAwait(false);
                live?.Complete();
                if (!options.Stream)
                {
                    output.WriteObject(response);
                }

                return response;
            }
            catch (QwenException error) when (error.PartialResponse != null)
            {
                live?.Complete();
                if (!options.Stream)
                {
                    output.WriteObject(error.PartialResponse);
                }

                throw;
            }
        }
    }
}
