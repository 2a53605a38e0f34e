using System;
using System.Management.Automation;
using QwenPS.Files;

namespace QwenPS.Commands
{
    /// <summary>Remove-QwenFile: deletes stored files. A failure on one id is reported and the others go on.</summary>
    [Cmdlet(VerbsCommon.Remove, "QwenFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveQwenFileCommand : QwenItemCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] FileId { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord() =>
            ForEachItem(FileId, id => ShouldProcess(id, "Delete DashScope file"), FileOperations.DeleteAsync);
    }
}
