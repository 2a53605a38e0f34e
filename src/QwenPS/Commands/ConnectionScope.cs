namespace QwenPS.Commands
{
    /// <summary>
    /// What Connect-Qwen's defaults are filed under: one object per runspace session state, held in the global
    /// variable <c>$QwenPSConnectionScope</c>. Keying by the Runspace object alone was not enough:
    /// ForEach-Object -Parallel reuses runspaces and resets their variables between iterations, so an iteration
    /// that never called Connect-Qwen saw (and sent) another iteration's key. The reset removes this variable,
    /// and with it every default filed under it.
    /// </summary>
    internal sealed class ConnectionScope
    {
        internal const string VariableName = "QwenPSConnectionScope";

        public override string ToString() => "Connect-Qwen defaults of this runspace (see about_QwenPS)";
    }
}
