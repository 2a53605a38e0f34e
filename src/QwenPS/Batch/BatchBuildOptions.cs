using System;
using System.Collections.Generic;
using QwenPS.Chat;

namespace QwenPS.Batch
{
    /// <summary>Start-QwenBatch's parameters that shape every request line, as plain values.</summary>
    internal sealed class BatchBuildOptions
    {
        public BatchBuildOptions(string model, QwenBatchEndpoint endpoint)
        {
            Model = model;
            Endpoint = endpoint;
        }

        /// <summary>The one model of the batch.</summary>
        public string Model { get; }

        public QwenBatchEndpoint Endpoint { get; }

        /// <summary>The line url and batch endpoint, as DashScope spells it.</summary>
        public string ServiceEndpoint => BatchEndpoints.For(Endpoint, Model);

        public bool IsEmbeddings => BatchEndpoints.IsEmbeddings(ServiceEndpoint);

        /// <summary>A system message put before the text of each prompt input (text, object, document).</summary>
        public string? SystemPrompt { get; set; }

        /// <summary>The chat body fields given (a row of <see cref="ChatFields"/> and its value); enable_thinking is always among them.</summary>
        public IList<KeyValuePair<ChatField, object>> Fields { get; } = new List<KeyValuePair<ChatField, object>>();

        public IReadOnlyDictionary<string, object?>? AdditionalParameters { get; set; }

        /// <summary>Where the mapping file goes (the data folder's batches folder).</summary>
        public string MappingFolder { get; set; } = string.Empty;

        /// <summary>Where the request file is written before it is uploaded (the temp folder by default).</summary>
        public string? TempFolder { get; set; }

        public BatchLimits Limits => BatchLimits.For(Model);

        /// <summary>True when every request asks for JSON (-AsJson or -JsonSchema): response_format is among <see cref="Fields"/>.</summary>
        public bool JsonOutput { get; private set; }

        /// <summary>The -JsonSchema every answer must follow; null in JSON object mode or without JSON output.</summary>
        public JsonSchemaSpec? JsonSchema { get; private set; }

        /// <summary>The response_format written into every request (and into the mapping file, so Receive-QwenBatch reads the answers as JSON).</summary>
        public IDictionary<string, object?>? ResponseFormat { get; private set; }

        /// <summary>
        /// -AsJson / -JsonSchema (docs/dashscope-notes.md, "Structured output"): refuses them for embeddings, and where
        /// JSON output and thinking conflict (<see cref="ThinkingConflict"/>), before anything is written; then adds the
        /// response_format field to every request. <paramref name="enableThinking"/> is -EnableThinking when given.
        /// </summary>
        public void UseJsonOutput(JsonSchemaSpec? schema, bool? enableThinking, Action<string> verbose, Action<string> warning)
        {
            if (IsEmbeddings)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-AsJson and -JsonSchema apply to chat requests, not to an embeddings batch.") { Target = Endpoint };
            }

            ThinkingConflict.Resolve(Model, enableThinking, "JSON output", QwenErrorIds.JsonModeWithThinking, verbose);
            if (schema != null && schema.IgnoredKeywords.Count > 0)
            {
                verbose("The schema uses keywords QwenPS does not check (" + string.Join(", ", schema.IgnoredKeywords) + "): they are sent as given.");
            }

            if (ServiceEndpoint == BatchEndpoints.Test)
            {
                warning(BatchLimits.TestModel + " answers \"This is a test result.\" whatever is asked, so its answers will not read as JSON.");
            }

            JsonOutput = true;
            JsonSchema = schema;
            ResponseFormat = StructuredOutput.ResponseFormat(schema);
            Fields.Add(new KeyValuePair<ChatField, object>(ChatFields.ResponseFormat, ResponseFormat));
        }
    }
}
