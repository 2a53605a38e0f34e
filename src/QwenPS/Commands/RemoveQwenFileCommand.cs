using System;
using System.Collections.Generic;
using System.Management.Automation;
using QwenPS.Files;

namespace QwenPS.Commands
{
    /// <summary>Remove-QwenFile: deletes stored files, by id (piped QwenFileInfo too) or by filter (purpose, creation dates,
    /// name). A failure on one file is reported and the others go on.</summary>
    [Cmdlet(VerbsCommon.Remove, "QwenFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(void))]
    public sealed class RemoveQwenFileCommand : QwenItemCmdlet
    {
        private const string IdSet = "Id";
        private const string FilterSet = "Filter";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] FileId { get; set; } = Array.Empty<string>();

        /// <summary>Delete the files of this purpose (with the other filters, if any).</summary>
        [Parameter(ParameterSetName = FilterSet)]
        [ValidateSet("file-extract", "batch", "batch_output")]
        public string? Purpose { get; set; }

        [Parameter(ParameterSetName = FilterSet)]
        public DateTime CreatedAfter { get; set; }

        [Parameter(ParameterSetName = FilterSet)]
        public DateTime CreatedBefore { get; set; }

        /// <summary>Delete the files whose stored name matches this wildcard.</summary>
        [Parameter(ParameterSetName = FilterSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string? FileName { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == IdSet)
            {
                ForEachItem(FileId, id => ShouldProcess(id, "Delete DashScope file"), FileOperations.DeleteAsync);
            }
        }

        /// <summary>The filter set: list what matches (nothing is deleted while listing), then delete each with ShouldProcess.</summary>
        protected override void EndProcessing()
        {
            if (ParameterSetName != FilterSet)
            {
                return;
            }

            bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
            FileListQuery query = Guard(() => FileQueries.Build(Purpose, null, Bound(nameof(CreatedAfter)) ? CreatedAfter : (DateTime?)null, Bound(nameof(CreatedBefore)) ? CreatedBefore : (DateTime?)null, FileName, FileListQuery.MaxPageSize));
            var ids = new List<string>();
            var names = new Dictionary<string, string?>(StringComparer.Ordinal);
            RunWithClient((client, output, token) => FileOperations.ListAsync(client, query, file =>
            {
                ids.Add(file.Id);
                names[file.Id] = file.FileName;
                return true;
            }, token));
            WriteVerbose(ids.Count + " file(s) match the filter.");
            ForEachItem(ids, id => ShouldProcess(id + " (" + (names[id] ?? "no name") + ")", "Delete DashScope file"), FileOperations.DeleteAsync);
        }
    }
}
