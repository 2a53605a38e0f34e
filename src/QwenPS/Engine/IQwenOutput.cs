namespace QwenPS.Engine
{
    /// <summary>
    /// Where the engine writes: the cmdlets forward each call to the matching PowerShell stream; the tests
    /// collect them. Every method may be called from any thread; <see cref="OutputPump"/> brings them to
    /// the pipeline thread.
    /// </summary>
    internal interface IQwenOutput
    {
        void WriteObject(object item);

        void WriteVerbose(string message);

        void WriteDebug(string message);

        void WriteWarning(string message);

        void WriteProgress(QwenProgress progress);

        /// <summary>Text for the live display (Information stream); never part of the output.</summary>
        void WriteLive(LiveText text);

        /// <summary>A non-terminating error for one item of many (the rest goes on).</summary>
        void WriteError(QwenException error);
    }

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

        public int SecondsRemaining { get; set; } = -1;
    }

    /// <summary>A piece of live display text: reasoning is shown dim, the answer plain.</summary>
    internal readonly struct LiveText
    {
        public LiveText(string text, bool dim)
        {
            Text = text;
            Dim = dim;
        }

        public string Text { get; }

        public bool Dim { get; }
    }
}
