using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>Remove-QwenFile: deletes stored files. A failure on one id is reported and the others go on.</summary>
    [Cmdlet(VerbsCommon.Remove, "QwenFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveQwenFileCommand : QwenServiceCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] FileId { get; set; } = Array.Empty<string>();

        // Resolved on the first approved deletion, so -WhatIf needs no key.
        private Func<IQwenOutput, QwenClient>? _createClient;

        protected override void ProcessRecord()
        {
            foreach (string id in FileId)
            {
                if (!ShouldProcess(id, "Delete DashScope file"))
                {
                    continue;
                }

                try
                {
                    _createClient ??= ResolveClientOrThrow();
                    RunEngine((output, token) => DeleteAsync(_createClient(output), id, token));
                }
                catch (QwenException error) when (error.StatusCode.HasValue)
                {
                    // The service refused this one file: report it and go on with the rest.
                    WriteError(ToErrorRecord(error));
                }
                catch (QwenException error)
                {
                    ThrowQwenError(error);
                }
            }
        }

        private static async Task<bool> DeleteAsync(QwenClient client, string id, CancellationToken token)
        {
            await client.DeleteFileAsync(id, token).ConfigureAwait(false);
            return true;
        }
    }
}
