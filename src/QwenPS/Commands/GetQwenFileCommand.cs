using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;

namespace QwenPS.Commands
{
    /// <summary>Get-QwenFile: one file by id (with its processing status), or all files, optionally of one purpose.</summary>
    [Cmdlet(VerbsCommon.Get, "QwenFile", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(QwenFileInfo))]
    public sealed class GetQwenFileCommand : QwenServiceCmdlet
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

        private System.Func<Engine.IQwenOutput, Engine.QwenClient>? _createClient;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ListSet)
            {
                RunWithClient(async (client, output, token) =>
                {
                    await client.ListFilesAsync(Purpose, 2000, output.WriteObject, token).ConfigureAwait(false);
                    return true;
                });
                return;
            }

            _createClient ??= ResolveClientOrThrow();
            foreach (string id in FileId)
            {
                try
                {
                    WriteObject(RunEngine((output, token) => _createClient(output).GetFileAsync(id, token)));
                }
                catch (QwenException error) when (error.StatusCode.HasValue)
                {
                    // The service refused this one id (for example NotFound): report it and go on with the rest.
                    WriteError(ToErrorRecord(error));
                }
                catch (QwenException error)
                {
                    ThrowQwenError(error);
                }
            }
        }
    }
}
