using System;
using System.Collections.Generic;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>
    /// Add-QwenFileReference: passes the piped messages through, then emits ONE system message
    /// <c>fileid://id1,fileid://id2</c> for qwen-long. With -Path/-LiteralPath it first uploads each file
    /// (purpose file-extract) and waits until DashScope has processed it.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "QwenFileReference", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(QwenMessage), typeof(QwenChatResponse))]
    public sealed class AddQwenFileReferenceCommand : QwenServiceCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string FileIdSet = "FileId";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
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
        public string[] FileId { get; set; } = Array.Empty<string>();

        /// <summary>How long to wait, in seconds, for DashScope to process each uploaded file.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateRange(1, 86400)]
        public int ProcessingTimeoutSec { get; set; } = (int)FileReferenceOperation.DefaultProcessingTimeout.TotalSeconds;

        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        private readonly List<string> _files = new List<string>();

        protected override void BeginProcessing()
        {
            // Resolve every path before any input flows or any byte is sent: a missing file fails first.
            if (ParameterSetName == FileIdSet)
            {
                return;
            }

            foreach (string path in ParameterSetName == PathSet ? Path : LiteralPath)
            {
                foreach (string resolved in ResolvePath(path, literal: ParameterSetName == LiteralPathSet))
                {
                    try
                    {
                        FileUploadRules.Check(resolved);
                    }
                    catch (QwenException error)
                    {
                        ThrowQwenError(error);
                    }

                    _files.Add(resolved);
                }
            }
        }

        protected override void ProcessRecord() => NewQwenMessageCommand.PassThrough(this, InputObject);

        protected override void EndProcessing()
        {
            QwenMessage? reference;
            try
            {
                reference = ParameterSetName == FileIdSet ? FileReferenceOperation.BuildReference(FileId) : UploadApproved();
            }
            catch (QwenException error)
            {
                ThrowQwenError(error);
                return;
            }

            if (reference != null)
            {
                WriteObject(reference);
            }
        }

        private QwenMessage? UploadApproved()
        {
            var approved = new List<string>();
            foreach (string file in _files)
            {
                if (ShouldProcess(file, "Upload to DashScope (purpose file-extract)"))
                {
                    approved.Add(file);
                }
            }

            if (approved.Count == 0)
            {
                return null;
            }

            TimeSpan timeout = TimeSpan.FromSeconds(ProcessingTimeoutSec);
            return RunWithClient((client, output, token) => FileReferenceOperation.UploadAndReferenceAsync(client, approved, timeout, token));
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
