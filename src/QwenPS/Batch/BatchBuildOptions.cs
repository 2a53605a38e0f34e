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
    }
}
