namespace QwenPS
{
    /// <summary>What each request of a batch calls. <c>batch-test-model</c> always uses DashScope's test endpoint.</summary>
    public enum QwenBatchEndpoint
    {
        ChatCompletions,
        Embeddings,
    }
}
