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

        /// <summary>The key for this runspace's Connect-Qwen defaults.</summary>
        internal static object RunspaceScope => (object?)System.Management.Automation.Runspaces.Runspace.DefaultRunspace ?? typeof(QwenCmdlet);

        internal static Func<string, string?> Environment => System.Environment.GetEnvironmentVariable;

        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Runs engine work on the pool, forwarding its writes to this cmdlet's streams as they happen.</summary>
        internal T RunEngine<T>(Func<IQwenOutput, CancellationToken, Task<T>> work)
        {
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
            if (error.RequestId != null)
            {
                record.ErrorDetails = new ErrorDetails(error.Message)
                {
                    RecommendedAction = "Quote the request id " + error.RequestId + " when you contact Alibaba Cloud support.",
                };
            }

            return record;
        }

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
