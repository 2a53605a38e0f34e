namespace QwenPS
{
    /// <summary>
    /// The life of a batch job: Validating → InProgress → Finalizing → Completed, or Failed, Expired,
    /// Cancelling → Cancelled. <see cref="QwenBatch.Status"/> shows the same names as text.
    /// </summary>
    public enum QwenBatchStatus
    {
        Validating,
        InProgress,
        Finalizing,
        Completed,
        Failed,
        Expired,
        Cancelling,
        Cancelled,
    }
}
