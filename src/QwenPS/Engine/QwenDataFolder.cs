using System;
using System.IO;
using System.Runtime.InteropServices;

namespace QwenPS.Engine
{
    /// <summary>
    /// The one per-user folder where QwenPS keeps what outlives a session (the file-id index of the document cmdlets, the
    /// batch mapping files): <c>$env:QWENPS_DATA_HOME</c> when set, else <c>%LOCALAPPDATA%\QwenPS</c> on Windows, else
    /// <c>$XDG_DATA_HOME/QwenPS</c> or <c>~/.local/share/QwenPS</c>. Its files are written with <see cref="PrivateFiles"/>.
    /// </summary>
    internal static class QwenDataFolder
    {
        /// <summary>Overrides the folder (tests, or a user who wants the data elsewhere).</summary>
        public const string EnvironmentVariable = "QWENPS_DATA_HOME";

        public static string Resolve(Func<string, string?> environment)
        {
            string? overridden = environment(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(overridden))
            {
                return overridden!;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "QwenPS");
            }

            string? xdg = environment("XDG_DATA_HOME");
            string root = !string.IsNullOrWhiteSpace(xdg) ? xdg! : Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(root, "QwenPS");
        }
    }
}
