using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using QwenPS.Documents;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>
    /// Add-QwenDocument: passes the piped messages through, then adds one system message per document whose content is
    /// the document's text (or, with -Format Json, a JSON string describing it). Documents come from -Path,
    /// -LiteralPath or -Text, then from the pipeline (files from Get-ChildItem). Nothing is sent: no key is needed.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "QwenDocument", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(QwenMessage), typeof(QwenChatResponse))]
    public sealed class AddQwenDocumentCommand : QwenCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string TextSet = "Text";

        /// <summary>Not mandatory: the documents may come down the pipeline instead.</summary>
        [Parameter(Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Documents given as text, one document per string.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TextSet)]
        [ValidateNotNullOrEmpty]
        public string[] Text { get; set; } = Array.Empty<string>();

        [Parameter]
        public QwenDocumentFormat Format { get; set; } = QwenDocumentFormat.Text;

        /// <summary>The title of the one document (-Format Json).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Title { get; set; }

        /// <summary>The file name of the one document (-Format Json): its filename and file_type.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? FileName { get; set; }

        /// <summary>Messages to pass through, or documents: files from Get-ChildItem.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        private readonly List<(string Name, string Text)> _documents = new List<(string Name, string Text)>();

        protected override void BeginProcessing()
        {
            // Every document given as a parameter is read before any input flows: a bad one fails first.
            try
            {
                if (ParameterSetName == TextSet)
                {
                    for (int i = 0; i < Text.Length; i++)
                    {
                        _documents.Add((Text.Length == 1 ? DocumentMessage.DefaultTextFileName : "document-" + (i + 1) + ".txt", Text[i]));
                    }

                    return;
                }

                foreach (string path in ParameterSetName == PathSet ? Path : LiteralPath)
                {
                    foreach (string resolved in ProviderPaths.Resolve(SessionState, path, literal: ParameterSetName == LiteralPathSet))
                    {
                        AddFile(resolved);
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

            object item = InputObject.BaseObject;
            if (MessageFactory.IsConversationItem(item))
            {
                WriteObject(item);
                return;
            }

            try
            {
                switch (item)
                {
                    case FileInfo file:
                        AddFile(file.FullName);
                        break;
                    case DirectoryInfo directory:
                        throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.InvalidArgument, "'" + directory.FullName + "' is a directory, not a file.") { Target = item };
                    default:
                        throw new QwenException(
                            QwenErrorIds.InvalidArgument,
                            QwenErrorCategory.InvalidType,
                            "Only messages (QwenMessage, QwenChatResponse) and files (Get-ChildItem) can be piped to Add-QwenDocument; got " +
                            item.GetType().FullName + ". Give text with -Text and paths with -Path or -LiteralPath.") { Target = item };
                }
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
                    "No document to add: give -Path, -LiteralPath or -Text, or pipe files (Get-ChildItem)."));
            }

            if ((Title != null || FileName != null) && _documents.Count > 1)
            {
                ThrowQwenError(new QwenException(
                    QwenErrorIds.InvalidArgument,
                    QwenErrorCategory.InvalidArgument,
                    "-Title and -FileName name one document; this command has " + _documents.Count + ".") { Target = Title ?? FileName });
            }

            if (Format == QwenDocumentFormat.Text && (Title != null || FileName != null))
            {
                WriteVerbose("-Title and -FileName are sent only with -Format Json; the plain-text form is the text alone.");
            }

            foreach ((string name, string text) in _documents)
            {
                string fileName = FileName ?? name;
                string? warning = DocumentText.InlineWarning(fileName, text);
                if (warning != null)
                {
                    WriteWarning(warning);
                }

                WriteVerbose(string.Format(System.Globalization.CultureInfo.InvariantCulture, "Document '{0}': {1} characters as {2}.", fileName, text.Length, Format == QwenDocumentFormat.Json ? "a JSON string" : "plain text"));
                WriteObject(DocumentMessage.Create(text, Format, fileName, Title));
            }
        }

        private void AddFile(string path) => _documents.Add((System.IO.Path.GetFileName(path), DocumentText.ReadFile(path)));
    }
}
