namespace QwenPS.Output
{
    /// <summary>An output that drops everything: for engine calls no one watches, such as a tab completion's file listing.</summary>
    internal sealed class DiscardOutput : IQwenOutput
    {
        public static readonly DiscardOutput Instance = new DiscardOutput();

        private DiscardOutput()
        {
        }

        public void WriteObject(object item)
        {
        }

        public void WriteVerbose(string message)
        {
        }

        public void WriteDebug(string message)
        {
        }

        public void WriteWarning(string message)
        {
        }

        public void WriteProgress(QwenProgress progress)
        {
        }

        public void WriteLive(LiveText text)
        {
        }

        public void WriteError(QwenException error)
        {
        }
    }
}
