using System.Management.Automation;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>
    /// Clear-QwenUsage: resets this runspace's usage sums (all, or those of some models). A local counter, not data
    /// at the service, so there is no -WhatIf/-Confirm (docs/en-US/Clear-QwenUsage.md says why).
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "QwenUsage")]
    [OutputType(typeof(void))]
    public sealed class ClearQwenUsageCommand : QwenCmdlet
    {
        /// <summary>Model names; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(QwenModelCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Model { get; set; }

        protected override void EndProcessing()
        {
            int cleared = UsageOperations.Clear(RunspaceScope, WildcardFilter.For(Model));
            WriteVerbose("Cleared " + cleared + " usage record(s) of this runspace.");
        }
    }
}
