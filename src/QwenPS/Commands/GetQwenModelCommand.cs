using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using QwenPS.Catalog;

namespace QwenPS.Commands
{
    /// <summary>Get-QwenModel: the models QwenPS knows (the shipped catalog), filtered; sends no request.</summary>
    [Cmdlet(VerbsCommon.Get, "QwenModel")]
    [OutputType(typeof(QwenModelInfo))]
    public sealed class GetQwenModelCommand : QwenCmdlet
    {
        /// <summary>Model names; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(QwenModelCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Family names; wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Family { get; set; }

        /// <summary>Capabilities the model must all have.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(QwenCapabilityCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Capability { get; set; }

        /// <summary>Regions; a model served in any of them passes.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public QwenRegion[]? Region { get; set; }

        /// <summary>Thinking modes; a model with any of them passes.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public QwenThinkingMode[]? Thinking { get; set; }

        protected override void ProcessRecord()
        {
            ModelCatalogData catalog = ModelCatalogData.Current;
            var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (QwenModelInfo model in Guard(() => ModelOperations.Find(catalog, WildcardFilter.For(Name), WildcardFilter.For(Family), Capability, Region, Thinking)))
            {
                written.Add(model.Name);
                WriteObject(model);
            }

            // A plain name matching nothing is an error, as with Get-Process -Name; a dated snapshot gets its model's record.
            foreach (string plain in (Name ?? Array.Empty<string>()).Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            {
                string? known = ModelOperations.CatalogName(catalog, plain);
                if (known == null)
                {
                    WriteError(ToErrorRecord(new QwenException(
                        QwenErrorIds.ModelNotInCatalog,
                        QwenErrorCategory.ObjectNotFound,
                        "QwenPS's catalog has no model '" + plain + "'. Other names still work with -Model; Get-QwenModel lists the known ones.") { Target = plain }));
                }
                else if (written.Add(known))
                {
                    WriteVerbose("'" + plain + "' is a dated snapshot of " + known + ": writing the catalog record of " + known + ".");
                    foreach (QwenModelInfo model in Guard(() => ModelOperations.Find(catalog, n => string.Equals(n, known, StringComparison.OrdinalIgnoreCase), WildcardFilter.For(Family), Capability, Region, Thinking)))
                    {
                        WriteObject(model);
                    }
                }
            }
        }
    }
}
