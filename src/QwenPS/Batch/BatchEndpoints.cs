using System;

namespace QwenPS.Batch
{
    /// <summary>The batch endpoints as DashScope spells them: each line's <c>url</c> and the batch's <c>endpoint</c>.</summary>
    internal static class BatchEndpoints
    {
        public const string ChatCompletions = "/v1/chat/completions";
        public const string Embeddings = "/v1/embeddings";

        /// <summary>The free <c>batch-test-model</c> answers only here.</summary>
        public const string Test = "/v1/chat/ds-test";

        /// <summary>The wire endpoint for a model and the endpoint the user chose.</summary>
        public static string For(QwenBatchEndpoint endpoint, string model)
        {
            if (BatchLimits.IsTestModel(model))
            {
                return Test;
            }

            return endpoint == QwenBatchEndpoint.Embeddings ? Embeddings : ChatCompletions;
        }

        public static bool IsEmbeddings(string wireEndpoint) => string.Equals(wireEndpoint, Embeddings, StringComparison.Ordinal);
    }
}
