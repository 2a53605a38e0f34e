using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using QwenPS.Engine;
using QwenPS.Files;
using QwenPS.Output;

namespace QwenPS.Commands
{
    /// <summary>
    /// Tab completion for -FileId: the ids of the stored files, listed with the key and endpoint the command would use
    /// (its -Region and -BaseUri when typed as constants, else Connect-Qwen's, else the environment). A word matches an
    /// id that starts with it or a file name that contains it; the list item shows the name. The listing is bounded (one
    /// page of <see cref="MaxFiles"/> files, <see cref="TimeoutSec"/> seconds, no retry) and any failure (no key, no
    /// network) completes nothing, so completion never hangs the console or shows an error.
    /// </summary>
    public sealed class QwenFileIdCompleter : IArgumentCompleter
    {
        internal const int MaxFiles = 200;
        internal const int TimeoutSec = 5;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var results = new List<CompletionResult>();
            foreach (QwenFileInfo file in StoredFiles(fakeBoundParameters))
            {
                bool idMatches = file.Id.StartsWith(word, StringComparison.OrdinalIgnoreCase);
                bool nameMatches = word.Length > 0 && file.FileName != null && file.FileName.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0;
                if (idMatches || nameMatches)
                {
                    string name = file.FileName ?? "(no name)";
                    string tip = string.Format(CultureInfo.InvariantCulture, "{0}, {1} bytes, {2}, created {3:u}", name, file.Bytes, file.Purpose, file.CreatedAt);
                    results.Add(new CompletionResult(file.Id, file.Id + " (" + name + ")", CompletionResultType.ParameterValue, tip));
                }
            }

            return results;
        }

        private static List<QwenFileInfo> StoredFiles(IDictionary fakeBoundParameters)
        {
            var files = new List<QwenFileInfo>();
            try
            {
                QwenClientFactory factory = QwenClientFactory.Create(new QwenClientOptions
                {
                    Region = Bound(fakeBoundParameters, "Region") is object region && Enum.TryParse(region.ToString(), true, out QwenRegion parsed) ? parsed : (QwenRegion?)null,
                    BaseUri = Bound(fakeBoundParameters, "BaseUri") is object uri && Uri.TryCreate(uri.ToString(), UriKind.Absolute, out Uri? parsedUri) ? parsedUri : null,
                    TimeoutSec = TimeoutSec,
                    MaxRetry = 0,
                    Scope = CurrentRunspaceScope(),
                    Environment = QwenCmdlet.Environment,
                });
                QwenClient client = factory.CreateClient(DiscardOutput.Instance);
                var query = new FileListQuery { PageSize = MaxFiles };
                using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(TimeoutSec)))
                {
                    FileOperations.ListAsync(client, query, file =>
                    {
                        files.Add(file);
                        return files.Count < MaxFiles;
                    }, timeout.Token).GetAwaiter().GetResult();
                }
            }
            catch (Exception)
            {
                // No key, no network, a refusal: complete what arrived (usually nothing) rather than fail the key press.
            }

            return files;
        }

        private static object? Bound(IDictionary parameters, string name) => parameters != null && parameters.Contains(name) ? parameters[name] : null;

        /// <summary>This runspace's Connect-Qwen scope (see <see cref="ConnectionScope"/>). A completer runs on the pipeline
        /// thread while the completion request is running, where Runspace.SessionStateProxy refuses calls; a script block
        /// reads the global variable in the current runspace.</summary>
        private static object? CurrentRunspaceScope()
        {
            try
            {
                foreach (PSObject value in ScriptBlock.Create("$global:" + ConnectionScope.VariableName).Invoke())
                {
                    if (value?.BaseObject is ConnectionScope scope)
                    {
                        return scope;
                    }
                }
            }
            catch (Exception)
            {
                // No runspace on this thread: no Connect-Qwen defaults.
            }

            return null;
        }
    }
}
