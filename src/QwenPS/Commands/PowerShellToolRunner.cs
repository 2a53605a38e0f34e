using System;
using System.Collections;
using System.Collections.ObjectModel;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using QwenPS.Chat.Tools;

namespace QwenPS.Commands
{
    /// <summary>
    /// Runs tool calls as PowerShell commands: on the pipeline thread, in the caller's runspace, through
    /// PowerShell's own parameter binding (the arguments are splatted). Asks first with ShouldContinue in
    /// Confirm mode ("Yes to All" for the rest of the loop); forwards -WhatIf and -Confirm to commands that
    /// support ShouldProcess. Whatever the command does wrong (binding, a throw, written errors) becomes the
    /// text the model reads; Ctrl+C and the time budget stop the loop.
    /// </summary>
    internal sealed class PowerShellToolRunner : IToolRunner
    {
        // $WhatIfPreference is set in the call's own scope too, so commands the tool calls see -WhatIf as well,
        // as they would under a script run with -WhatIf.
        private const string InvokeScript = @"
param($__QwenPSCommand, $__QwenPSArguments, $__QwenPSWhatIf)
if ($__QwenPSWhatIf) { $WhatIfPreference = $true }
& $__QwenPSCommand @__QwenPSArguments
";

        private readonly PSCmdlet _cmdlet;
        private readonly QwenToolInvocation _mode;
        private readonly bool _whatIf;
        private readonly bool? _confirm;
        private readonly int _maxLength;
        private readonly CancellationToken _stop;
        private bool _yesToAll;
        private bool _noToAll;

        public PowerShellToolRunner(PSCmdlet cmdlet, QwenToolInvocation mode, bool whatIf, bool? confirm, int maxLength, CancellationToken stop)
        {
            _cmdlet = cmdlet;
            _mode = mode;
            _whatIf = whatIf;
            _confirm = confirm;
            _maxLength = maxLength;
            _stop = stop;
        }

        public ToolOutcome Run(QwenTool tool, OrderedDictionary arguments, string commandLine, TimeSpan? timeLeft)
        {
            if (_mode == QwenToolInvocation.Confirm && !Confirmed(tool, commandLine))
            {
                return new ToolOutcome(QwenToolStatus.Declined, ToolResultText.Error("The user declined to run " + commandLine + ". Do not call it again for this request."));
            }

            var splat = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in arguments)
            {
                splat[entry.Key] = entry.Value;
            }

            bool whatIf = _whatIf && tool.SupportsShouldProcess;
            if (tool.SupportsShouldProcess)
            {
                if (_whatIf)
                {
                    splat["WhatIf"] = true;
                }

                if (_confirm.HasValue)
                {
                    splat["Confirm"] = _confirm.Value;
                }
            }

            using (PowerShell shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
            using (var timedOut = new TimedStop(shell, timeLeft))
            using (_stop.Register(() => shell.BeginStop(null, null)))
            {
                shell.AddScript(InvokeScript, useLocalScope: true).AddArgument(tool.Implementation).AddArgument(splat).AddArgument(_whatIf);
                Collection<PSObject> output;
                try
                {
                    output = shell.Invoke();
                }
                catch (Exception error) when (error is PipelineStoppedException || error is OperationCanceledException)
                {
                    throw Stopped(timedOut, commandLine, tool);
                }
                catch (RuntimeException error)
                {
                    if (WasStopped(shell, timedOut))
                    {
                        throw Stopped(timedOut, commandLine, tool);
                    }

                    Forward(shell);
                    return new ToolOutcome(QwenToolStatus.Failed, ToolResultText.Error(error.Message));
                }

                // On Ctrl+C PowerShell may stop this nested pipeline before it tells the cmdlet, and the call can then
                // end without an exception: a stopped call never counts as a result.
                if (WasStopped(shell, timedOut))
                {
                    throw Stopped(timedOut, commandLine, tool);
                }

                Forward(shell);
                return Outcome(output, shell.Streams.Error, whatIf);
            }
        }

        private bool WasStopped(PowerShell shell, TimedStop timedOut) =>
            _stop.IsCancellationRequested || _cmdlet.Stopping || timedOut.Fired || shell.InvocationStateInfo.State == PSInvocationState.Stopped;

        /// <summary>The time budget's own stop is a Timeout error; any other stop is the caller's (Ctrl+C).</summary>
        private Exception Stopped(TimedStop timedOut, string commandLine, QwenTool tool)
        {
            if (timedOut.Fired && !_stop.IsCancellationRequested && !_cmdlet.Stopping)
            {
                return new QwenException(QwenErrorIds.Timeout, QwenErrorCategory.OperationTimeout,
                    "The tool call " + commandLine + " was stopped: the loop's -TimeoutSec budget ran out while it ran.") { Target = tool.Name };
            }

            return new PipelineStoppedException();
        }

        private bool Confirmed(QwenTool tool, string commandLine)
        {
            if (_yesToAll)
            {
                return true;
            }

            if (_noToAll)
            {
                return false;
            }

            string caption = "Run a command the model asked for?";
            string query = "→ " + commandLine + (tool.CommandName == null ? "   (script block tool " + tool.Name + ")" : string.Empty);
            return _cmdlet.ShouldContinue(query, caption, ref _yesToAll, ref _noToAll);
        }

        private ToolOutcome Outcome(Collection<PSObject> output, PSDataCollection<ErrorRecord> errors, bool whatIf)
        {
            string? json = ToolOutputJson.Write(output, _maxLength);
            if (errors.Count == 0)
            {
                string text = json ?? (whatIf
                    ? "The command ran with -WhatIf: it reported what it would do and changed nothing."
                    : "The command completed and wrote no output.");
                return new ToolOutcome(QwenToolStatus.Succeeded, text);
            }

            // The model sees both what went wrong and what was written, and can retry.
            return new ToolOutcome(QwenToolStatus.Failed, ToolResultText.Errors(errors.Select(e => e.ToString()), json));
        }

        /// <summary>The tool's warnings and verbose messages, shown to the caller (they are not sent to the model).</summary>
        private void Forward(PowerShell shell)
        {
            foreach (WarningRecord warning in shell.Streams.Warning)
            {
                _cmdlet.WriteWarning(warning.Message);
            }

            foreach (VerboseRecord verbose in shell.Streams.Verbose)
            {
                _cmdlet.WriteVerbose(verbose.Message);
            }
        }

        /// <summary>Stops the call when the loop's time budget runs out.</summary>
        private sealed class TimedStop : IDisposable
        {
            private readonly Timer? _timer;
            private int _fired;

            public TimedStop(PowerShell shell, TimeSpan? timeLeft)
            {
                if (timeLeft.HasValue)
                {
                    TimeSpan due = timeLeft.Value < TimeSpan.Zero ? TimeSpan.Zero : timeLeft.Value;
                    _timer = new Timer(_ =>
                    {
                        Interlocked.Exchange(ref _fired, 1);
                        shell.BeginStop(null, null);
                    }, null, due, Timeout.InfiniteTimeSpan);
                }
            }

            public bool Fired => Volatile.Read(ref _fired) == 1;

            public void Dispose() => _timer?.Dispose();
        }
    }
}
