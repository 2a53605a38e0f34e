using System;
using System.Collections.Specialized;

namespace QwenPS.Chat.Tools
{
    /// <summary>
    /// Runs one tool call, on the thread that calls it (for PowerShell: the pipeline thread, in the caller's
    /// runspace). A failure of the tool itself (binding, a throw, written errors, a No at the prompt) comes back
    /// as an outcome for the model; only a stop (Ctrl+C, the time budget) is thrown.
    /// </summary>
    internal interface IToolRunner
    {
        ToolOutcome Run(QwenTool tool, OrderedDictionary arguments, string commandLine, TimeSpan? timeLeft);
    }
}
