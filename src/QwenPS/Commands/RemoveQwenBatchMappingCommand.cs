using System;
using System.Management.Automation;
using QwenPS.Batch;

namespace QwenPS.Commands
{
    /// <summary>
    /// Remove-QwenBatchMapping: deletes the mapping file Start-QwenBatch wrote for a batch (custom ids, positions and the
    /// input texts) and lets go of the input objects this session kept for it. Local only: the batch and its result files
    /// at DashScope stay; Receive-QwenBatch then returns the results by custom id only.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "QwenBatchMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveQwenBatchMappingCommand : QwenCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] BatchId { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            string folder = BatchDataFolder.Resolve(Environment);
            foreach (string id in BatchId)
            {
                string? path = BatchDataFolder.MappingPath(folder, id);
                if (path == null || !System.IO.File.Exists(path))
                {
                    WriteError(ToErrorRecord(NotFound(id, folder)));
                    continue;
                }

                if (!ShouldProcess(path, "Delete the batch mapping file (the input texts of " + id + ")"))
                {
                    continue;
                }

                try
                {
                    if (!BatchDataFolder.Remove(folder, id))
                    {
                        throw NotFound(id, folder);
                    }
                }
                catch (QwenException error)
                {
                    WriteError(ToErrorRecord(error));
                    continue;
                }

                if (RunspaceScope is object scope)
                {
                    BatchInputStore.Remove(scope, id);
                }

                WriteVerbose("Deleted " + path + "; Receive-QwenBatch returns the results of " + id + " by custom id only from now on.");
            }
        }

        private static QwenException NotFound(string id, string folder) =>
            new QwenException(QwenErrorIds.BatchMappingNotFound, QwenErrorCategory.ObjectNotFound, "There is no mapping file for " + id + " in " + folder + ".") { Target = id };
    }
}
