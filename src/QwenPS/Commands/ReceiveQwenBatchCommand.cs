using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using QwenPS.Batch;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>
    /// Receive-QwenBatch: downloads a finished batch's output and error files (streamed to temporary files), then writes
    /// one <see cref="QwenBatchResult"/> per request as it reads them, joined to its input, and a non-terminating error
    /// for each failed or unprocessed request.
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "QwenBatch")]
    [OutputType(typeof(QwenBatchResult))]
    public sealed class ReceiveQwenBatchCommand : QwenServiceCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] BatchId { get; set; } = Array.Empty<string>();

        /// <summary>Writes the results in the order of the inputs (needs the mapping file Start-QwenBatch wrote here).</summary>
        [Parameter]
        public SwitchParameter InInputOrder { get; set; }

        /// <summary>Parses every answer as JSON into Value (implied for a batch started with -AsJson or -JsonSchema).</summary>
        [Parameter]
        public SwitchParameter AsObject { get; set; }

        private QwenClientFactory? _factory;

        protected override void ProcessRecord()
        {
            _factory ??= ResolveClient();
            string mappings = BatchDataFolder.Resolve(Environment);
            foreach (string id in BatchId)
            {
                QwenBatch batch = RunWithClient(_factory, (client, output, token) => BatchOperations.GetAsync(client, id, mappings, token));
                if (!batch.IsFinished)
                {
                    WriteError(ToErrorRecord(new QwenException(
                        QwenErrorIds.BatchNotFinished,
                        QwenErrorCategory.InvalidOperation,
                        "The batch " + id + " has not finished (" + BatchOperations.Describe(batch) + "): wait for it first, e.g. Wait-QwenBatch -Id " + id + " | Receive-QwenBatch.") { Target = id }));
                    continue;
                }

                if (InInputOrder.IsPresent && batch.MappingPath == null)
                {
                    WriteError(ToErrorRecord(new QwenException(
                        QwenErrorIds.BatchMappingNotFound,
                        QwenErrorCategory.ObjectNotFound,
                        "-InInputOrder needs the mapping file Start-QwenBatch writes, and there is none for " + id + " in " + mappings + ".") { Target = id }));
                    continue;
                }

                Receive(batch);
            }
        }

        private void Receive(QwenBatch batch)
        {
            BatchMapping? mapping = batch.MappingPath == null ? null : Guard(() => BatchMapping.TryOpen(batch.MappingPath, StopToken));
            if (mapping == null)
            {
                WriteWarning("No mapping file for " + batch.Id + " on this machine: the results carry their custom ids only, and requests without a result are not listed.");
            }

            IReadOnlyList<object?>? inputs = RunspaceScope is object scope ? BatchInputStore.Get(scope, batch.Id) : null;
            var receive = new BatchReceiveOptions { AsObject = AsObject.IsPresent, ToValue = JsonToPowerShell.Convert };
            BatchResultSet set;
            try
            {
                set = RunWithClient(_factory!, (client, output, token) => BatchOperations.ReceiveAsync(client, batch, Path.GetTempPath(), mapping, inputs, receive, token));
            }
            catch
            {
                mapping?.Dispose();
                throw;
            }

            using (BatchResultSet results = set)
            {
                int count = 0;
                try
                {
                    // Read on the pipeline thread, one line at a time: each result is written before the next is read.
                    foreach (QwenBatchResult result in results.Read(InInputOrder.IsPresent, StopToken))
                    {
                        WriteObject(result);
                        BatchReports.Request(this, result);
                        count++;
                    }
                }
                catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }

                WriteVerbose("Received " + count + " result(s) of " + batch.Id + ".");
            }
        }
    }
}
