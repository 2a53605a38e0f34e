using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Engine;
using QwenPS.Output;
using QwenPS.Session;

namespace QwenPS.Chat
{
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

        /// <summary><see cref="ResolveModel(string?, IEnumerable{object}, ConnectionDefaults?)"/> with the defaults of the runspace <paramref name="scope"/>.</summary>
        public static string ResolveModel(string? model, IEnumerable<object> pipelineItems, object scope) =>
            ResolveModel(model, pipelineItems, ConnectionOperations.Defaults(scope));

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

        /// <summary>
        /// Decides whether <paramref name="request"/> streams: when asked (-Stream, -Live), when the model is
        /// stream-only, or when thinking is on (many models think only when streamed). Returns the request.
        /// </summary>
        public static ChatRequest PrepareRequest(ChatRun run, ChatRequest request, Action<string> verbose, Action<string>? warning = null)
        {
            string model = request.Model;

            // Structured output, partial mode, cache markers and search: refuse what the service would, add what it needs.
            (IReadOnlyList<QwenMessage> messages, bool? thinking) = TextGenerationRules.Apply(
                run.JsonOutput, run.JsonSchema, run.Stream, (bool?)request[ChatFields.EnableThinking], request.Messages, model, verbose, warning ?? verbose);
            if (!ReferenceEquals(messages, request.Messages))
            {
                request = request.WithMessages(messages);
            }

            request[ChatFields.EnableThinking] = thinking;
            if (run.JsonOutput)
            {
                request[ChatFields.ResponseFormat] = StructuredOutput.ResponseFormat(run.JsonSchema);
            }

            request[ChatFields.EnableSearch] = TextGenerationRules.Search(
                (bool?)request[ChatFields.EnableSearch], request[ChatFields.SearchOption] as IReadOnlyDictionary<string, object?>, model);

            bool stream = run.Stream || run.Live;
            if (!stream && ModelCatalog.IsStreamOnly(model))
            {
                verbose(model + " answers only when streamed: streaming it and returning one response.");
                stream = true;
            }
            else if (!stream && thinking == true)
            {
                verbose("Thinking is on, which many models allow only when streamed: streaming and returning one response.");
                stream = true;
            }
            else if (!stream && thinking == null && ModelCatalog.ThinksByDefault(model))
            {
                verbose(model + " thinks by default, which many models allow only when streamed: streaming and returning one response (-EnableThinking:$false turns thinking off).");
                stream = true;
            }

            request.Stream = stream;
            ChatMedia.Prepare(request, verbose);
            return request;
        }

        /// <summary>
        /// Runs the call. With -Stream, records go to the output as they arrive; without it, the one response
        /// does. With -Live, the text is also shown through <see cref="IQwenOutput.WriteLive"/>. When a stream
        /// breaks without -Stream, the partial response (marked incomplete) is written before the error; after a
        /// break or a stop it is in <see cref="ChatRun.PartialResponse"/>.
        /// </summary>
        public static async Task<QwenChatResponse> RunAsync(QwenClient client, ChatRequest request, ChatRun run, IQwenOutput output, CancellationToken cancellationToken)
        {
            QwenChatResponse response = await RunAsync(new ChatApi(client.Transport), request, run, output, cancellationToken).ConfigureAwait(false);
            UsageOperations.Record(client.Scope, response.Model ?? request.Model, response.Usage);
            return response;
        }

        /// <summary>
        /// JSON output (<see cref="ChatRun.JsonOutput"/>): runs the call (shown with -Live as it arrives), checks the
        /// answer and asks again up to -MaxRepair times (<see cref="JsonAnswerRun"/>). Writes no response: the cmdlet
        /// writes the value as objects. After a failure, <see cref="ChatRun.PartialResponse"/> holds the last answer.
        /// </summary>
        public static async Task<(QwenChatResponse Response, System.Text.Json.JsonElement Value)> RunJsonAsync(
            QwenClient client, ChatRequest request, ChatRun run, IQwenOutput output, CancellationToken cancellationToken)
        {
            var api = new ChatApi(client.Transport);
            try
            {
                return await JsonAnswerRun.RunAsync(
                    async attempt =>
                    {
                        LiveDisplay? live = run.Live ? new LiveDisplay(output.WriteLive) : null;
                        try
                        {
                            QwenChatResponse answer = await api.ChatAsync(attempt, live == null ? null : (Action<object>)live.OnRecord, cancellationToken).ConfigureAwait(false);

                            // Every attempt, repairs included, is a call that used (and cost) tokens.
                            UsageOperations.Record(client.Scope, answer.Model ?? attempt.Model, answer.Usage);
                            return answer;
                        }
                        finally
                        {
                            live?.Complete();
                        }
                    },
                    request,
                    run.JsonSchema,
                    run.MaxRepair,
                    output.WriteVerbose,
                    response => run.PartialResponse = response).ConfigureAwait(false);
            }
            catch (QwenException error) when (error.PartialResponse != null)
            {
                run.PartialResponse = error.PartialResponse;
                throw;
            }
            catch (OperationCanceledException)
            {
                run.PartialResponse = api.LastPartialResponse ?? run.PartialResponse;
                throw;
            }
        }

        /// <summary>The same over a given endpoint object (the tests keep theirs, to read its partial response).</summary>
        internal static async Task<QwenChatResponse> RunAsync(ChatApi api, ChatRequest request, ChatRun run, IQwenOutput output, CancellationToken cancellationToken)
        {
            LiveDisplay? live = run.Live ? new LiveDisplay(output.WriteLive) : null;
            Action<object>? onRecord = null;
            if (run.Stream || live != null)
            {
                onRecord = record =>
                {
                    if (run.Stream)
                    {
                        output.WriteObject(record);
                    }

                    live?.OnRecord(record);
                };
            }

            try
            {
                QwenChatResponse response = await api.ChatAsync(request, onRecord, cancellationToken).ConfigureAwait(false);
                live?.Complete();
                if (!run.Stream && run.WriteResponse)
                {
                    output.WriteObject(response);
                }

                return response;
            }
            catch (QwenException error) when (error.PartialResponse != null)
            {
                run.PartialResponse = error.PartialResponse;
                live?.Complete();
                if (!run.Stream && run.WriteResponse)
                {
                    output.WriteObject(error.PartialResponse);
                }

                throw;
            }
            catch (OperationCanceledException)
            {
                run.PartialResponse = api.LastPartialResponse;
                throw;
            }
        }
    }
}
