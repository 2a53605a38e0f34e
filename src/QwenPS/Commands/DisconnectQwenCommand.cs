using System.Management.Automation;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>Disconnect-Qwen: forgets this runspace's Connect-Qwen defaults (the key is disposed).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Qwen")]
    [OutputType(typeof(void))]
    public sealed class DisconnectQwenCommand : QwenCmdlet
    {
        protected override void EndProcessing()
        {
            bool cleared = ConnectionOperations.Disconnect(RunspaceScope);
            WriteVerbose(cleared ? "Cleared the Connect-Qwen defaults of this runspace." : "Connect-Qwen had set nothing in this runspace.");
        }
    }
}
