using System;
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
            Func<string, bool>? name = WildcardFilter.For(Name);
            Func<string, bool>? family = WildcardFilter.For(Family);
            bool any = false;
            foreach (QwenModelInfo model in Guard(() => ModelOperations.Find(ModelCatalogData.Current, name, family, Capability, Region, Thinking)))
            {
                any = true;
                WriteObject(model);
            }

            // A name without wildcards that matches nothing is an error, as with Get-Process -Name.
            foreach (string plain in (Name ?? Array.Empty<string>()).Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            {
                if (ModelCatalogData.Current.Find(plain) == null)
                {
                    WriteError(ToErrorRecord(new QwenException(
                        QwenErrorIds.ModelNotInCatalog,
                        QwenErrorCategory.ObjectNotFound,
                        "QwenPS's catalog has no model '" + plain + "'. Other names still work with -Model; Get-QwenModel lists the known ones.") { Target = plain }));
                }
            }

            if (!any)
            {
                WriteVerbose("No catalog model passes these filters.");
            }
        }
    }
}
