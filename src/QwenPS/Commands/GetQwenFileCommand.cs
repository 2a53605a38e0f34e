using System;
using System.Management.Automation;
using QwenPS.Files;

namespace QwenPS.Commands
{
    /// <summary>Get-QwenFile: one file by id (with its processing status), or the files of a purpose, a creation-date range,
    /// from a cursor on (-After), with -First/-Skip paging.</summary>
    [Cmdlet(VerbsCommon.Get, "QwenFile", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(QwenFileInfo))]
    public sealed class GetQwenFileCommand : QwenItemCmdlet
    {
        private const string ListSet = "List";
        private const string IdSet = "Id";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(QwenFileIdCompleter))]
        public string[] FileId { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("file-extract", "batch", "batch_output")]
        public string? Purpose { get; set; }

        /// <summary>List the files after this id (the service's cursor: the last id of an earlier listing).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? After { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        public DateTime CreatedAfter { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        public DateTime CreatedBefore { get; set; }

        /// <summary>Files per request (the service allows 1 to 2000).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, FileListQuery.MaxPageSize)]
        public int PageSize { get; set; } = FileListQuery.MaxPageSize;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ListSet)
            {
                List();
                return;
            }

            ForEachItem(FileId, _ => true, async (client, id, token) => await FileOperations.GetAsync(client, id, token).ConfigureAwait(false));
        }

        /// <summary>The filtered listing, with -Skip/-First; -First stops the listing once it has enough (unless -IncludeTotalCount).</summary>
        private void List()
        {
            bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
            FileListQuery query = Guard(() => FileQueries.Build(Purpose, After, Bound(nameof(CreatedAfter)) ? CreatedAfter : (DateTime?)null, Bound(nameof(CreatedBefore)) ? CreatedBefore : (DateTime?)null, null, PageSize));
            ulong skip = PagingParameters.Skip;
            ulong first = PagingParameters.First;
            bool count = PagingParameters.IncludeTotalCount.IsPresent;
            ulong matched = 0;
            ulong written = 0;
            RunWithClient((client, output, token) => FileOperations.ListAsync(client, query, file =>
            {
                matched++;
                if (matched > skip && written < first)
                {
                    written++;
                    output.WriteObject(file);
                }

                return written < first || count;
            }, token));
            if (count)
            {
                WriteObject(PagingParameters.NewTotalCount(matched, 1.0));
            }
        }
    }
}
