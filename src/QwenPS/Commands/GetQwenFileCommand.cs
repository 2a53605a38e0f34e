using System.Management.Automation;
using QwenPS.Files;

namespace QwenPS.Commands
{
    /// <summary>Get-QwenFile: one file by id (with its processing status), or all files, optionally of one purpose.</summary>
    [Cmdlet(VerbsCommon.Get, "QwenFile", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(QwenFileInfo))]
    public sealed class GetQwenFileCommand : QwenItemCmdlet
    {
        private const string ListSet = "List";
        private const string IdSet = "Id";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] FileId { get; set; } = System.Array.Empty<string>();

        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("file-extract", "batch", "batch_output")]
        public string? Purpose { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ListSet)
            {
                RunWithClient((client, output, token) => FileOperations.ListAsync(client, Purpose, output.WriteObject, token));
                return;
            }

            ForEachItem(FileId, _ => true, async (client, id, token) => await FileOperations.GetAsync(client, id, token).ConfigureAwait(false));
        }
    }
}
