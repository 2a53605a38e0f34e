using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Reflection;

namespace QwenPS.Commands
{
    /// <summary>
    /// Whether live text written now is also kept record by record: the Information stream redirected (6&gt;file,
    /// 6&gt;&amp;1, *&gt;) or a transcript running (Start-Transcript). Both write every Write-Host -NoNewline piece on a line of
    /// its own, so -Live then writes whole lines, and the file or transcript reads as text.
    /// PowerShell has no public API for either. Both are read from internal members that PowerShell 5.0 added with the
    /// Information stream and the host-level transcript, and that PowerShell 7 still has:
    /// MshCommandRuntime.InformationOutputPipe (set only when the stream is redirected) and
    /// PSHostUserInterface.IsTranscribing. If a member is missing or throws, the answer is false: fragments, as without it.
    /// </summary>
    internal static class LiveTextRecording
    {
        private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

        public static bool IsRecorded(Cmdlet cmdlet, PSHost? host) => InformationRedirected(cmdlet) || Transcribing(host);

        internal static bool InformationRedirected(Cmdlet cmdlet) =>
            Read(cmdlet.CommandRuntime, "InformationOutputPipe") != null;

        internal static bool Transcribing(PSHost? host) =>
            Read(host?.UI, "IsTranscribing") is bool transcribing && transcribing;

        private static object? Read(object? target, string property)
        {
            if (target == null)
            {
                return null;
            }

            try
            {
                return target.GetType().GetProperty(property, Instance)?.GetValue(target);
            }
            catch (Exception)
            {
                // A PowerShell whose internals differ: keep writing fragments rather than fail the call.
                return null;
            }
        }
    }
}
