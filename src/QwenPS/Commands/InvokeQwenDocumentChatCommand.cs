using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using QwenPS.Chat;
using QwenPS.Documents;
using QwenPS.Files;

namespace QwenPS.Commands
{
    /// <summary>
    /// Invoke-QwenDocumentChat: asks one question of each piped document, in an independent conversation per
    /// document, several at a time, and writes one QwenDocumentAnswer per document as each finishes. The documents are
    /// collected first (so the total is known and bad input fails before any request), then run in EndProcessing.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "QwenDocumentChat", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(QwenDocumentAnswer))]
    public sealed class InvokeQwenDocumentChatCommand : QwenGenerationCmdlet
    {
        /// <summary>The question asked of every document.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Prompt { get; set; } = string.Empty;

        /// <summary>Documents: files (Get-ChildItem), paths, stored files (Get-QwenFile) or file ids.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        [Parameter]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SystemPrompt { get; set; } = DocumentChatOptions.DefaultSystemPrompt;

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(QwenModelCompleter))]
        public string Model { get; set; } = DocumentChatOptions.DefaultModel;

        [Parameter]
        public QwenDocumentSendMode As { get; set; } = QwenDocumentSendMode.File;

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = DocumentChatOptions.DefaultThrottleLimit;

        [Parameter]
        public SwitchParameter NoReuse { get; set; }

        [Parameter]
        public SwitchParameter RemoveAfter { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int ProcessingTimeoutSec { get; set; } = (int)FileReferenceOperation.DefaultProcessingTimeout.TotalSeconds;

        private readonly List<DocumentInput> _documents = new List<DocumentInput>();

        protected override void BeginProcessing()
        {
            try
            {
                foreach (string path in Path ?? Array.Empty<string>())
                {
                    foreach (string resolved in ProviderPaths.Resolve(SessionState, path, literal: false))
                    {
                        _documents.Add(DocumentInput.Local(resolved));
                    }
                }

                foreach (string path in LiteralPath ?? Array.Empty<string>())
                {
                    foreach (string resolved in ProviderPaths.Resolve(SessionState, path, literal: true))
                    {
                        _documents.Add(DocumentInput.Local(resolved));
                    }
                }
            }
            catch (QwenException error)
            {
                ThrowQwenError(error);
            }
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }

            try
            {
                _documents.Add(FromPipeline(InputObject.BaseObject));
            }
            catch (QwenException error)
            {
                ThrowQwenError(error);
            }
        }

        protected override void EndProcessing()
        {
            if (_documents.Count == 0)
            {
                ThrowQwenError(new QwenException(
                    QwenErrorIds.InvalidArgument,
                    QwenErrorCategory.InvalidArgument,
                    "No document to ask about: pipe files (Get-ChildItem), paths, stored files (Get-QwenFile) or file ids, or give -Path or -LiteralPath."));
            }

            var approved = new List<DocumentInput>(_documents.Count);
            foreach (DocumentInput document in _documents)
            {
                if (ShouldProcess(document.Display, "Ask " + Model + " (uploading the document if needed)"))
                {
                    approved.Add(document);
                }
            }

            if (approved.Count == 0)
            {
                return;
            }

            DocumentChatOptions options = Guard(() => new DocumentChatOptions(Prompt, BuildTemplate())
            {
                SystemPrompt = SystemPrompt,
                SendAs = As,
                ThrottleLimit = ThrottleLimit,
                NoReuse = NoReuse.IsPresent,
                RemoveAfter = RemoveAfter.IsPresent,
                ProcessingTimeout = TimeSpan.FromSeconds(ProcessingTimeoutSec),
            });

            // Say once, here, what is decided for every document (streaming for thinking models…).
            options.BuildRequest(new[] { new QwenMessage(QwenRole.User, Prompt) }, WriteVerbose);
            RunWithClient((client, output, token) => DocumentChatOperation.AskAllAsync(client, options, approved, Environment, output, token));
        }

        /// <summary>A piped document: a file, a stored file, a path, or a file id (a string that is not an existing file).</summary>
        private DocumentInput FromPipeline(object item)
        {
            switch (item)
            {
                case FileInfo file:
                    return DocumentInput.Local(file.FullName, file);
                case DirectoryInfo directory:
                    throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.InvalidArgument, "'" + directory.FullName + "' is a directory, not a file.") { Target = item };
                case QwenFileInfo stored:
                    return DocumentInput.Stored(stored);
                case string text:
                    string? path = ProviderPaths.ExistingFile(SessionState, text);
                    if (path != null)
                    {
                        return DocumentInput.Local(path, text);
                    }

                    if (DocumentInput.LooksLikeFileId(text))
                    {
                        return DocumentInput.Id(text);
                    }

                    throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "'" + text + "' is neither an existing file nor a file id (file-…).") { Target = text };
                default:
                    throw new QwenException(
                        QwenErrorIds.InvalidArgument,
                        QwenErrorCategory.InvalidType,
                        "Invoke-QwenDocumentChat takes files (Get-ChildItem), paths, stored files (Get-QwenFile) and file ids; got " + item.GetType().FullName + ".") { Target = item };
            }
        }

        /// <summary>The model and every bound parameter that is a chat body field (a row of <see cref="ChatFields"/>).</summary>
        private ChatRequest BuildTemplate()
        {
            var template = new ChatRequest(Model, Array.Empty<QwenMessage>())
            {
                AdditionalParameters = AdditionalParameter == null ? null : PowerShellValues.ToDictionary(AdditionalParameter),
            };
            foreach (ChatField field in ChatFields.All)
            {
                if (MyInvocation.BoundParameters.TryGetValue(field.Parameter, out object? value))
                {
                    template[field] = PowerShellValues.ToPlain(value);
                }
            }

            return template;
        }
    }
}
