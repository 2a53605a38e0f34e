using System;
using System.Collections.Generic;
using System.Management.Automation;
using QwenPS.Engine;
using QwenPS.Files;

namespace QwenPS.Commands
{
    /// <summary>Remove-QwenFile: deletes stored files, by id, by piped QwenFileInfo or by filter (purpose, creation dates,
    /// name). A failure on one file is reported and the others go on. -WhatIf and -Confirm name each file by id and
    /// file name: a piped QwenFileInfo and the filter's listing carry the name, and a bare id is looked up first
    /// (a free request) when ShouldProcess will show it.</summary>
    [Cmdlet(VerbsCommon.Remove, "QwenFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(void))]
    public sealed class RemoveQwenFileCommand : QwenItemCmdlet
    {
        private const string IdSet = "Id";
        private const string FilterSet = "Filter";
        private const string InputObjectSet = "InputObject";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(QwenFileIdCompleter))]
        public string[] FileId { get; set; } = Array.Empty<string>();

        /// <summary>Files from Get-QwenFile (or Add-QwenFileReference -PassThru...): deleted by id, named by their file name.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public QwenFileInfo[] InputObject { get; set; } = Array.Empty<QwenFileInfo>();

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
                bool named = ShouldProcessShows();
                ForEachItem(FileId, id => ShouldProcess(named ? Named(id, LookUpName(id)) : id, DeleteAction), FileOperations.DeleteAsync);
            }
            else if (ParameterSetName == InputObjectSet)
            {
                foreach (QwenFileInfo file in InputObject)
                {
                    ForEachItem(new[] { file.Id }, id => ShouldProcess(Named(id, file.FileName), DeleteAction), FileOperations.DeleteAsync);
                }
            }
        }

        private const string DeleteAction = "Delete DashScope file";

        private static string Named(string id, string? fileName) => fileName == null ? id : id + " (" + fileName + ")";

        /// <summary>Whether ShouldProcess will print or ask (-WhatIf, -Confirm, or the preference variables): only then is a
        /// bare id worth a lookup of its name.</summary>
        private bool ShouldProcessShows()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? whatIf))
            {
                if (LanguagePrimitives.IsTrue(whatIf))
                {
                    return true;
                }
            }
            else if (LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")))
            {
                return true;
            }

            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out object? confirm))
            {
                return LanguagePrimitives.IsTrue(confirm);
            }

            return GetVariableValue("ConfirmPreference") is ConfirmImpact preference && preference != ConfirmImpact.None && preference <= ConfirmImpact.Medium;
        }

        /// <summary>The stored file's name, or null when it cannot be read (no key, not found, no network): the prompt then
        /// shows the id alone and the delete itself reports the problem.</summary>
        private string? LookUpName(string id)
        {
            try
            {
                _lookup ??= QwenClientFactory.Create(ClientOptions());
                return RunEngine((output, token) => FileOperations.GetAsync(_lookup.CreateClient(output), id, token)).FileName;
            }
            catch (QwenException)
            {
                return null;
            }
        }

        private QwenClientFactory? _lookup;

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
            ForEachItem(ids, id => ShouldProcess(Named(id, names[id]), DeleteAction), FileOperations.DeleteAsync);
        }
    }
}
