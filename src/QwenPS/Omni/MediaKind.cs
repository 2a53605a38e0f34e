namespace QwenPS.Omni
{
    /// <summary>The non-text modalities of a user message (docs/dashscope-notes.md, content parts).</summary>
    internal enum MediaKind
    {
        Image,
        Audio,
        Video,
    }
}
