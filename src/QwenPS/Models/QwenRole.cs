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
}
