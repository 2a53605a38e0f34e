using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using QwenPS.Translation;

namespace QwenPS.Commands
{
    /// <summary>Tab completion for -From and -To: the languages of the -Model being typed (31 for qwen-mt-lite, else 92); -From also offers auto.</summary>
    public sealed class QwenLanguageCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string model = fakeBoundParameters?["Model"] as string ?? TranslationOperation.DefaultModel;
            foreach (string language in TranslationLanguages.Complete(wordToComplete, model, parameterName == "From"))
            {
                string text = language.IndexOf(' ') >= 0 || language.IndexOf('\'') >= 0 ? "'" + language.Replace("'", "''") + "'" : language;
                yield return new CompletionResult(text, language, CompletionResultType.ParameterValue, language);
            }
        }
    }
}
