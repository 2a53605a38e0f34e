using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using QwenPS.Catalog;

namespace QwenPS.Commands
{
    /// <summary>Tab completion for Get-QwenModel -Capability from the capabilities of the catalog's models.</summary>
    public sealed class QwenCapabilityCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string start = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (string capability in ModelOperations.Capabilities(ModelCatalogData.Current))
            {
                if (capability.StartsWith(start, StringComparison.OrdinalIgnoreCase))
                {
                    yield return new CompletionResult(capability, capability, CompletionResultType.ParameterValue, capability);
                }
            }
        }
    }
}
