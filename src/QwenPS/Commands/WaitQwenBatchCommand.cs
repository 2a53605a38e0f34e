using System;
using System.Management.Automation;
using QwenPS.Batch;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>
    /// Wait-QwenBatch: polls each batch until it has finished, with back-off and progress, and writes the final
    /// <see cref="QwenBatch"/>. A failed batch is also reported as an error; Ctrl+C stops the waiting, never the batch.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "QwenBatch")]
    [OutputType(typeof(QwenBatch))]
    public sealed class WaitQwenBatchCommand : QwenServiceCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] BatchId { get; set; } = Array.Empty<string>();

        /// <summary>Seconds before the second poll; the pause then grows 1.5 times a poll. 0 polls without pausing.</summary>
        [Parameter]
        [ValidateRange(0, 86400)]
        public int PollIntervalSec { get; set; } = (int)BatchOperations.DefaultPollInterval.TotalSeconds;

        private QwenClientFactory? _factory;

        protected override void ProcessRecord()
        {
            // One factory for all batches: -TimeoutSec bounds the whole command.
            _factory ??= ResolveClient();
            string mappings = BatchDataFolder.Resolve(Environment);
            foreach (string id in BatchId)
            {
                QwenBatch batch = RunWithClient(_factory, (client, output, token) => BatchOperations.WaitAsync(client, id, TimeSpan.FromSeconds(PollIntervalSec), mappings, token));
                WriteObject(batch);
                BatchReports.Finished(this, batch);
            }
        }
    }
}
