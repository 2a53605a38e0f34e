namespace QwenPS
{
    /// <summary>How one request of a batch ended. <see cref="QwenBatchResult.Status"/> shows the same names as text.</summary>
    public enum QwenBatchResultStatus
    {
        /// <summary>The service answered it (a line of the output file).</summary>
        Succeeded,

        /// <summary>The service refused or failed it (a line of the error file), or its result line was unreadable.</summary>
        Failed,

        /// <summary>It has no result line: the batch expired or was cancelled before it ran.</summary>
        NotProcessed,
    }
}
