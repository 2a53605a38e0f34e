namespace QwenPS
{
    /// <summary>The DashScope regions with an OpenAI-compatible endpoint (docs/dashscope-notes.md, "Endpoints and regions").</summary>
    public enum QwenRegion
    {
        Beijing,
        Singapore,
        US,
        HongKong,
    }
}
