namespace QwenPS.Output
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

        /// <summary>A non-terminating error for one item of many (Invoke-QwenDocumentChat's documents): the rest goes on.</summary>
        void WriteError(QwenException error);
    }
}
