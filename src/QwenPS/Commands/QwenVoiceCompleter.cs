using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using QwenPS.Omni;

namespace QwenPS.Commands
{
    /// <summary>Tab completion for -Voice: the voices of the -Model on the command line, or of every Qwen-Omni model.</summary>
    public sealed class QwenVoiceCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string? model = fakeBoundParameters != null && fakeBoundParameters.Contains("Model") ? fakeBoundParameters["Model"] as string : null;
            foreach (string voice in OmniModelInfo.CompleteVoice(model, wordToComplete))
            {
                string text = voice.IndexOf(' ') >= 0 ? "'" + voice + "'" : voice;
                yield return new CompletionResult(text, voice, CompletionResultType.ParameterValue, voice);
            }
        }
    }
}
