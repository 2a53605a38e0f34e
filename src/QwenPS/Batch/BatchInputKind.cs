namespace QwenPS.Batch
{
    /// <summary>The kinds of input a batch request is made from.</summary>
    internal enum BatchInputKind
    {
        /// <summary>A prompt: the user message (after -SystemPrompt), or an embedding input.</summary>
        Text,

        /// <summary>A text file whose content is the prompt.</summary>
        Document,

        /// <summary>A whole conversation (New-QwenChatRequest).</summary>
        Messages,

        /// <summary>A ready request body (a hashtable), written as it is.</summary>
        Body,
    }
}
