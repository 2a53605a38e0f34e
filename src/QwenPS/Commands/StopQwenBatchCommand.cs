using System;
using System.Management.Automation;
using QwenPS.Batch;

namespace QwenPS.Commands
{
    /// <summary>Stop-QwenBatch: asks DashScope to cancel batches; the requests already done are kept (and billed).</summary>
    [Cmdlet(VerbsLifecycle.Stop, "QwenBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(QwenBatch))]
    public sealed class StopQwenBatchCommand : QwenItemCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] BatchId { get; set; } = Array.Empty<string>();

        /// <summary>Writes the batch as the cancel left it (status Cancelling).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            string mappings = BatchDataFolder.Resolve(Environment);
            ForEachItem(BatchId, id => ShouldProcess(id, "Cancel DashScope batch"), async (client, id, token) =>
            {
                QwenBatch batch = await BatchOperations.CancelAsync(client, id, mappings, token).ConfigureAwait(false);
                return PassThru.IsPresent ? batch : null;
            });
        }
    }
}
