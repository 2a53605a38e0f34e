namespace QwenPS
{
    /// <summary>What a streamed chunk carries: the model's reasoning or its answer.</summary>
    public enum QwenChunkKind
    {
        Reasoning,
        Content,
    }
}
