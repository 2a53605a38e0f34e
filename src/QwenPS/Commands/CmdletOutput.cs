using System;
using System.Management.Automation;
using QwenPS.Output;

namespace QwenPS.Commands
{
    /// <summary>Forwards engine writes to PowerShell's streams. Called only on the pipeline thread (via the pump).</summary>
    internal sealed class CmdletOutput : IQwenOutput
    {
        internal static readonly string[] LiveTags = { "PSHOST", "QwenPS.Live" };
        internal static readonly string[] LiveReasoningTags = { "PSHOST", "QwenPS.Live", "QwenPS.Reasoning" };

        private readonly PSCmdlet _cmdlet;
        private ConsoleColor? _background;
        private bool _backgroundRead;

        public CmdletOutput(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        public void WriteObject(object item) => _cmdlet.WriteObject(_cmdlet is QwenCmdlet ours ? ours.ForOutput(item) : item);

        public void WriteVerbose(string message) => _cmdlet.WriteVerbose(message);

        public void WriteDebug(string message) => _cmdlet.WriteDebug(message);

        public void WriteWarning(string message) => _cmdlet.WriteWarning(message);

        public void WriteProgress(QwenProgress progress)
        {
            var record = new ProgressRecord(progress.ActivityId, progress.Activity, progress.Status)
            {
                PercentComplete = progress.PercentComplete,
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            _cmdlet.WriteProgress(record);
        }

        public void WriteLive(LiveText text)
        {
            // HostInformationMessage is what Write-Host -NoNewline writes: the host shows it in place and in
            // colour; redirected (6>file) it is plain text with no escape codes.
            var message = new HostInformationMessage
            {
                Message = text.Text,
                NoNewLine = !text.IsLine,
                ForegroundColor = text.Dim ? ConsoleColor.DarkGray : (ConsoleColor?)null,

                // With only a foreground set, the host paints the background black; keep the console's own.
                BackgroundColor = text.Dim ? HostBackground() : null,
            };
            _cmdlet.WriteInformation(message, text.Dim ? LiveReasoningTags : LiveTags);
        }

        private ConsoleColor? HostBackground()
        {
            if (!_backgroundRead)
            {
                _backgroundRead = true;
                try
                {
                    _background = _cmdlet.Host?.UI?.RawUI?.BackgroundColor;
                }
                catch (Exception)
                {
                    // Hosts without a raw UI (runbooks, remoting, custom hosts) throw here: no colour then.
                    _background = null;
                }
            }

            return _background;
        }

        public void WriteError(QwenException error) => _cmdlet.WriteError(QwenCmdlet.ToErrorRecord(error));
    }
}
