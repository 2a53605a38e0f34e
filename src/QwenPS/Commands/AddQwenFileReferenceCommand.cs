using System;
using System.Collections.Generic;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using QwenPS.Files;

namespace QwenPS.Commands
{
    /// <summary>
    /// Add-QwenFileReference: passes the piped messages through, then emits ONE system message
    /// <c>fileid://id1,fileid://id2</c> for qwen-long. Documents come from -Path/-LiteralPath/-FileId and from the
    /// pipeline (files from Get-ChildItem, QwenFileInfo from Get-QwenFile), in that order. Local files are uploaded
    /// (purpose file-extract) and waited for until DashScope has processed them.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "QwenFileReference", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(QwenMessage), typeof(QwenChatResponse))]
    public sealed class AddQwenFileReferenceCommand : QwenServiceCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string FileIdSet = "FileId";

        /// <summary>Not mandatory: the documents may come down the pipeline instead.</summary>
        [Parameter(Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Ids of files already uploaded (for example from Get-QwenFile).</summary>
        [Parameter(Mandatory = true, ParameterSetName = FileIdSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(QwenFileIdCompleter))]
        public string[] FileId { get; set; } = Array.Empty<string>();

        /// <summary>How long to wait, in seconds, for DashScope to process each uploaded (or still processing) file.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int ProcessingTimeoutSec { get; set; } = (int)FileReferenceOperation.DefaultProcessingTimeout.TotalSeconds;

        /// <summary>Messages to pass through, or documents: files (Get-ChildItem) and QwenFileInfo (Get-QwenFile).</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        private readonly List<FileReferenceSource> _sources = new List<FileReferenceSource>();

        protected override void BeginProcessing()
        {
            // Resolve every path before any input flows or any byte is sent: a missing file fails first.
            if (ParameterSetName == FileIdSet)
            {
                foreach (string id in FileId)
                {
                    _sources.Add(FileReferenceSource.Id(id));
                }

                return;
            }

            foreach (string path in ParameterSetName == PathSet ? Path : LiteralPath)
            {
                foreach (string resolved in ResolvePath(path, literal: ParameterSetName == LiteralPathSet))
                {
                    AddSource(() => FileReferenceSource.Local(resolved));
                }
            }
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }

            // A bad document ends the command before any upload: the chat must not run without it.
            if (AddSource(() => FileReferenceSource.FromPipeline(InputObject.BaseObject)) == null)
            {
                NewQwenMessageCommand.PassThrough(this, InputObject);
            }
        }

        protected override void EndProcessing()
        {
            if (_sources.Count == 0)
            {
                ThrowQwenError(new QwenException(
                    QwenErrorIds.InvalidArgument,
                    QwenErrorCategory.InvalidArgument,
                    "No document to reference: give -Path, -LiteralPath or -FileId, or pipe files (Get-ChildItem) or stored files (Get-QwenFile)."));
            }

            var approved = new List<FileReferenceSource>(_sources.Count);
            foreach (FileReferenceSource source in _sources)
            {
                if (source.LocalPath == null || ShouldProcess(source.LocalPath, "Upload to DashScope (purpose file-extract)"))
                {
                    approved.Add(source);
                }
            }

            if (approved.Count == 0)
            {
                return;
            }

            QwenMessage reference = approved.Exists(s => s.NeedsService)
                ? RunWithClient((client, output, token) => FileReferenceOperation.ReferenceAsync(client, approved, TimeSpan.FromSeconds(ProcessingTimeoutSec), token))
                : Guard(() => FileReferenceOperation.BuildReference(approved));
            WriteObject(reference);
        }

        /// <summary>Adds the document <paramref name="create"/> makes (null: not a document); a bad one ends the command.</summary>
        private FileReferenceSource? AddSource(Func<FileReferenceSource?> create)
        {
            FileReferenceSource? source = Guard(create);
            if (source != null)
            {
                _sources.Add(source);
            }

            return source;
        }

        private IEnumerable<string> ResolvePath(string path, bool literal)
        {
            ProviderInfo provider;
            var resolved = new List<string>();
            try
            {
                if (literal)
                {
                    resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _));
                }
                else
                {
                    resolved.AddRange(SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider));
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException)
            {
                ThrowQwenError(new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "The file '" + path + "' does not exist.", ex) { Target = path });
                throw;
            }

            if (resolved.Count == 0)
            {
                // A wildcard that matches nothing must not let the chat run without its document.
                ThrowQwenError(new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "No file matches '" + path + "'.") { Target = path });
            }

            if (provider.ImplementingType != typeof(FileSystemProvider))
            {
                ThrowQwenError(new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "'" + path + "' is not a file system path.") { Target = path });
            }

            return resolved;
        }
    }
}
