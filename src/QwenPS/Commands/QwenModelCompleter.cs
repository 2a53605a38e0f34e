using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using QwenPS.Catalog;

namespace QwenPS.Commands
{
    /// <summary>Tab completion for -Model from the model catalog (Get-QwenModel); any other name is accepted too.</summary>
    public sealed class QwenModelCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            foreach (string model in ModelOperations.Complete(ModelCatalogData.Current, wordToComplete))
            {
                yield return new CompletionResult(model, model, CompletionResultType.ParameterValue, model);
            }
        }
    }
}
