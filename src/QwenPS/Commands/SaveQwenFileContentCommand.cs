using System;
using System.IO;
using System.Management.Automation;
using QwenPS.Engine;
using QwenPS.Files;

namespace QwenPS.Commands
{
    /// <summary>
    /// Save-QwenFileContent: downloads stored files' content (batch result files) to disk, streamed, whole or not at
    /// all (<see cref="FileSaver"/>). Into a folder, each file takes its stored name; to a file path, one file.
    /// A failure on one file is reported and the others go on.
    /// </summary>
    [Cmdlet(VerbsData.Save, "QwenFileContent")]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveQwenFileContentCommand : QwenServiceCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(QwenFileIdCompleter))]
        public string[] FileId { get; set; } = Array.Empty<string>();

        /// <summary>A folder (each file under its stored name) or, for one file, the file to write.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = ".";

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private QwenClientFactory? _factory;
        private string? _destination;
        private bool _toFolder;
        private int _saved;

        protected override void BeginProcessing()
        {
            _destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            _toFolder = Directory.Exists(_destination);
        }

        protected override void ProcessRecord()
        {
            foreach (string id in FileId)
            {
                if (!_toFolder && _saved > 0)
                {
                    WriteError(ToErrorRecord(new QwenException(
                        QwenErrorIds.InvalidArgument,
                        QwenErrorCategory.InvalidArgument,
                        "-Path '" + _destination + "' is one file, already written; give a folder as -Path to save several files.") { Target = id }));
                    continue;
                }

                try
                {
                    _factory ??= ResolveClient();
                    string target = RunEngine((output, token) => SaveOneAsync(_factory.CreateClient(output), id, token));
                    _saved++;
                    if (PassThru.IsPresent)
                    {
                        WriteObject(new FileInfo(target));
                    }
                }
                catch (QwenException error)
                {
                    // This one file could not be saved: report it and go on with the rest.
                    WriteError(ToErrorRecord(error));
                }
            }
        }

        private async System.Threading.Tasks.Task<string> SaveOneAsync(QwenClient client, string id, System.Threading.CancellationToken token)
        {
            string target = _destination!;
            if (_toFolder)
            {
                QwenFileInfo stored = await FileOperations.GetAsync(client, id, token).ConfigureAwait(false);
                target = System.IO.Path.Combine(_destination!, SafeName(stored.FileName, id));
            }

            long bytes = await FileOperations.SaveContentAsync(client, id, target, Force.IsPresent, token).ConfigureAwait(false);
            client.Output.WriteVerbose("Saved " + bytes + " byte(s) of " + id + " to '" + target + "'.");
            return target;
        }

        /// <summary>The stored name as a file name here: no folders, no characters the file system refuses; else the id.</summary>
        private static string SafeName(string? stored, string id)
        {
            string name = System.IO.Path.GetFileName(stored ?? string.Empty);
            foreach (char bad in System.IO.Path.GetInvalidFileNameChars())
            {
                name = name.Replace(bad, '_');
            }

            return name.Trim().Trim('.').Length == 0 ? id : name;
        }
    }
}
