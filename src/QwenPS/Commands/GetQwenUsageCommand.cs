using System.Management.Automation;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>Get-QwenUsage: this runspace's calls summed by model (calls, tokens, estimated cost); sends no request.</summary>
    [Cmdlet(VerbsCommon.Get, "QwenUsage")]
    [OutputType(typeof(QwenUsageSummary))]
    public sealed class GetQwenUsageCommand : QwenCmdlet
    {
        /// <summary>Model names; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(QwenModelCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Model { get; set; }

        protected override void EndProcessing()
        {
            foreach (QwenUsageSummary summary in UsageOperations.Get(RunspaceScope, WildcardFilter.For(Model)))
            {
                WriteObject(summary);
            }
        }
    }
}
