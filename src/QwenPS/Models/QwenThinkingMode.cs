namespace QwenPS
{
    /// <summary>How a model thinks: never, on request (off or on by default), or always.</summary>
    public enum QwenThinkingMode
    {
        None,
        OffByDefault,
        OnByDefault,
        Always,
    }
}
