using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Output;

namespace QwenPS.Commands
{
    /// <summary>
    /// Base of every QwenPS cmdlet: owns the cancellation that Ctrl+C (StopProcessing) triggers, runs engine
    /// work through the <see cref="OutputPump"/> so only the pipeline thread writes, and turns a
    /// <see cref="QwenException"/> into an ErrorRecord with its id, category, target and request id.
    /// </summary>
    public abstract class QwenCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        internal CancellationToken StopToken => _stop.Token;

        /// <summary>What this runspace's Connect-Qwen defaults are filed under; null when Connect-Qwen has not run here
        /// (or ForEach-Object -Parallel reset the runspace since). See <see cref="ConnectionScope"/>.</summary>
        internal object? RunspaceScope => SessionState.PSVariable.GetValue("global:" + ConnectionScope.VariableName) as ConnectionScope;

        /// <summary>The scope for Connect-Qwen's defaults and this runspace's usage book, created (in the global scope) when missing.</summary>
        internal object CreateRunspaceScope()
        {
            if (RunspaceScope is object existing)
            {
                return existing;
            }

            var scope = new ConnectionScope();
            SessionState.PSVariable.Set("global:" + ConnectionScope.VariableName, scope);
            return scope;
        }

        internal static Func<string, string?> Environment => System.Environment.GetEnvironmentVariable;

        private bool _streamsPrepared;

        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Writes a verbose line (after <see cref="PrepareStreams"/>, so -Debug does not make it ask).</summary>
        internal new void WriteVerbose(string text)
        {
            PrepareStreams();
            base.WriteVerbose(text);
        }

        /// <summary>Writes a debug line (after <see cref="PrepareStreams"/>).</summary>
        internal new void WriteDebug(string text)
        {
            PrepareStreams();
            base.WriteDebug(text);
        }

        /// <summary>
        /// For a compiled cmdlet, -Debug makes both the debug and the verbose stream "Inquire", in Windows PowerShell 5.1
        /// and PowerShell 7 alike (advanced functions get "Continue" since 7): every line asks "Continue with this
        /// operation?", and a non-interactive session fails at the first one. QwenPS's lines are for reading (the
        /// docs suggest -Debug to see request bodies), so -Debug shows them as 'Continue' would, unless the user set
        /// $DebugPreference or $VerbosePreference to Inquire. PowerShell has no public way to say so: the command
        /// runtime's internal DebugPreference and VerbosePreference (the same names in 5.1 and 7) are set when they
        /// are there; elsewhere -Debug keeps asking, as PowerShell itself would.
        /// </summary>
        internal void PrepareStreams()
        {
            if (_streamsPrepared)
            {
                return;
            }

            _streamsPrepared = true;
            if (!MyInvocation.BoundParameters.TryGetValue("Debug", out object? value) || !(value is SwitchParameter flag) || !flag.IsPresent)
            {
                return;
            }

            object? runtime = CommandRuntime;
            const System.Reflection.BindingFlags Any = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public;
            try
            {
                // DebugPreference has a setter; VerbosePreference has none, but "Inquire because of -Debug" applies only
                // while no -Verbose flag is set, so setting the flag (as -Verbose does) makes it 'Continue'.
                System.Reflection.PropertyInfo? debug = runtime?.GetType().GetProperty("DebugPreference", Any);
                if (!(SessionState.PSVariable.GetValue("DebugPreference") is ActionPreference askedDebug && askedDebug == ActionPreference.Inquire)
                    && debug != null && debug.CanWrite && Equals(debug.GetValue(runtime), ActionPreference.Inquire))
                {
                    debug.SetValue(runtime, ActionPreference.Continue);
                }

                System.Reflection.PropertyInfo? verbose = runtime?.GetType().GetProperty("Verbose", Any);
                System.Reflection.PropertyInfo? verbosePreference = runtime?.GetType().GetProperty("VerbosePreference", Any);
                if (!MyInvocation.BoundParameters.ContainsKey("Verbose")
                    && verbose != null && verbose.CanWrite && verbose.PropertyType == typeof(bool)
                    && verbosePreference != null && Equals(verbosePreference.GetValue(runtime), ActionPreference.Inquire))
                {
                    verbose.SetValue(runtime, true);
                }
            }
            catch (Exception)
            {
                // Another host's runtime: -Debug then asks, as PowerShell itself would.
            }
        }

        internal T RunEngine<T>(Func<IQwenOutput, CancellationToken, Task<T>> work)
        {
            PrepareStreams();
            using (var pump = new OutputPump())
            {
                try
                {
                    return pump.Run(output => Task.Run(() => work(output, _stop.Token)), new CmdletOutput(this), _stop);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
            }
        }

        internal static ErrorRecord ToErrorRecord(QwenException error)
        {
            var category = (ErrorCategory)Enum.Parse(typeof(ErrorCategory), error.Category.ToString());
            var record = new ErrorRecord(error, error.ErrorId, category, error.Target);
            string? action = RecommendedAction(error);
            if (action != null)
            {
                record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = action };
            }

            return record;
        }

        /// <summary>
        /// The next step that fits the error. Support (with the request id) only where the account holder cannot fix
        /// it: a wrong key or an unknown model is fixed by the user, not by quoting a request id.
        /// </summary>
        internal static string? RecommendedAction(QwenException error)
        {
            string? support = error.RequestId == null ? null : "If it persists, quote the request id " + error.RequestId + " when you contact Alibaba Cloud support.";
            switch (error.ErrorId)
            {
                case QwenErrorIds.MissingApiKey:
                    return "Pass -ApiKey, run Connect-Qwen -ApiKey, or set $env:DASHSCOPE_API_KEY.";
                case QwenErrorIds.InvalidApiKey:
                    return "Check the API key (-ApiKey, Connect-Qwen or $env:DASHSCOPE_API_KEY), and that it belongs to the region of the endpoint (-Region or -BaseUri): keys work in one region only.";
                case QwenErrorIds.ModelNotFound:
                    return "Check the model name (case-sensitive; press Tab after -Model for known names) and that the model is offered in your region.";
                case QwenErrorIds.AccessDenied:
                    return "Check that your account may use this model or feature (activate it in the Model Studio console), or use a key of an account that may." + (support != null ? " " + support : string.Empty);
                case QwenErrorIds.BillingError:
                    return "Settle or activate billing for the account in the Alibaba Cloud console; retrying will not help.";
                case QwenErrorIds.DataInspectionFailed:
                    return "The content moderation flagged the input or the output: rephrase the messages.";
                case QwenErrorIds.InvalidParameter:
                case QwenErrorIds.PayloadTooLarge:
                case QwenErrorIds.UnsupportedMedia:
                    return "Correct the request as the message says." + (support != null ? " " + support : string.Empty);
                case QwenErrorIds.RateLimited:
                    return "Wait a little and retry, or send fewer requests at once (-MaxRetry retries with backoff)." + (support != null ? " " + support : string.Empty);
                case QwenErrorIds.ResponseTooLarge:
                    return "Raise -MaxResponseSize, or ask for a shorter answer (-MaxTokens).";
                case QwenErrorIds.InvalidEndpoint:
                case QwenErrorIds.InsecureEndpoint:
                    return "Use -Region, or -BaseUri with the OpenAI-compatible base, e.g. https://dashscope-intl.aliyuncs.com/compatible-mode/v1.";
                default:
                    return support != null ? "Retry later. " + support : null;
            }
        }

        /// <summary>What the pipeline gets for <paramref name="item"/> written by the engine: the item itself, unless a cmdlet decorates it.</summary>
        internal virtual object ForOutput(object item) => item;

        internal void ThrowQwenError(QwenException error) => ThrowTerminatingError(ToErrorRecord(error));

        /// <summary>Runs <paramref name="work"/>; a <see cref="QwenException"/> ends the command as a terminating ErrorRecord.</summary>
        internal T Guard<T>(Func<T> work)
        {
            try
            {
                return work();
            }
            catch (QwenException error)
            {
                ThrowQwenError(error);
                throw;
            }
        }

        /// <summary><see cref="Guard{T}(Func{T})"/> for work without a result.</summary>
        internal void Guard(Action work) => Guard(() =>
        {
            work();
            return true;
        });

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Called once when the pipeline ends (or fails, or is stopped): release what the cmdlet holds.</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                _stop.Dispose();
            }
        }
    }
}
