namespace QwenPS
{
    /// <summary>What a Qwen-Omni answer is made of (<c>modalities</c>, docs/dashscope-notes.md, "Qwen-Omni"): text, and speech.</summary>
    public enum QwenModality
    {
        Text,
        Audio,
    }
}
