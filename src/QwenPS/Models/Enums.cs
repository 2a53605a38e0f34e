namespace QwenPS
{
    /// <summary>The role of a chat message, as DashScope names it on the wire (lower case).</summary>
    public enum QwenRole
    {
        System,
        User,
        Assistant,
        Tool,
    }

    /// <summary>The DashScope regions with an OpenAI-compatible endpoint (docs/dashscope-notes.md, "Endpoints and regions").</summary>
    public enum QwenRegion
    {
        Beijing,
        Singapore,
        US,
        HongKong,
    }

    /// <summary>What a streamed chunk carries: the model's reasoning or its answer.</summary>
    public enum QwenChunkKind
    {
        Reasoning,
        Content,
    }
}
