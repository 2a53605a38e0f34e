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

        /// <summary>The file's name, shown by -WhatIf and -Confirm; bound from a piped QwenFileInfo (Get-QwenFile).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? FileName { get; set; }

        // Only a single id can be paired with the name (a QwenFileInfo binds both; several ids may come with none).
        protected override void ProcessRecord() =>
            ForEachItem(FileId, id => ShouldProcess(FileId.Length == 1 && !string.IsNullOrEmpty(FileName) ? id + " (" + FileName + ")" : id, "Delete DashScope file"), FileOperations.DeleteAsync);
    }
}
