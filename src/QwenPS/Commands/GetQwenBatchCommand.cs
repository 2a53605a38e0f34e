using System;
using System.Management.Automation;
using QwenPS.Batch;

namespace QwenPS.Commands
{
    /// <summary>Get-QwenBatch: batches by id, or the list (newest first) with DashScope's filters, following pages.</summary>
    [Cmdlet(VerbsCommon.Get, "QwenBatch", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(QwenBatch))]
    public sealed class GetQwenBatchCommand : QwenItemCmdlet
    {
        private const string ListSet = "List";
        private const string IdSet = "Id";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] BatchId { get; set; } = Array.Empty<string>();

        /// <summary>Part of the batch name (ds_name); DashScope matches it loosely.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public QwenBatchStatus[]? Status { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ValidateCount(1, 20)]
        [ValidateNotNullOrEmpty]
        public string[]? InputFileId { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        public DateTime CreatedAfter { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        public DateTime CreatedBefore { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, BatchOperations.MaxPageSize)]
        public int PageSize { get; set; } = BatchOperations.MaxPageSize;

        protected override void ProcessRecord()
        {
            string mappings = BatchDataFolder.Resolve(Environment);
            if (ParameterSetName == ListSet)
            {
                var filter = new BatchListFilter
                {
                    Name = Name,
                    Statuses = Status,
                    InputFileIds = InputFileId,
                    CreatedAfter = MyInvocation.BoundParameters.ContainsKey(nameof(CreatedAfter)) ? CreatedAfter : (DateTime?)null,
                    CreatedBefore = MyInvocation.BoundParameters.ContainsKey(nameof(CreatedBefore)) ? CreatedBefore : (DateTime?)null,
                };
                RunWithClient((client, output, token) => BatchOperations.ListAsync(client, filter, PageSize, First, mappings, output.WriteObject, token));
                return;
            }

            ForEachItem(BatchId, _ => true, async (client, id, token) => await BatchOperations.GetAsync(client, id, mappings, token).ConfigureAwait(false));
        }
    }
}
