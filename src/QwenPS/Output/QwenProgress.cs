namespace QwenPS.Output
{
    /// <summary>A progress update, mapped to a ProgressRecord by the cmdlet.</summary>
    internal sealed class QwenProgress
    {
        public QwenProgress(int activityId, string activity, string status, int percentComplete, bool completed)
        {
            ActivityId = activityId;
            Activity = activity;
            Status = status;
            PercentComplete = percentComplete;
            Completed = completed;
        }

        public int ActivityId { get; }

        public string Activity { get; }

        public string Status { get; }

        /// <summary>0-100, or -1 when unknown.</summary>
        public int PercentComplete { get; }

        public bool Completed { get; }
    }
}
