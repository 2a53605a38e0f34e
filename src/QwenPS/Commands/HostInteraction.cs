using System;
using System.Management.Automation.Host;

namespace QwenPS.Commands
{
    /// <summary>
    /// Whether the host can put a question to a person. It cannot when it has no UI, when it is the API's default
    /// host (a runspace created without one: Azure Automation, services, scheduled tasks), when the process is not
    /// interactive, or when PowerShell was started with -NonInteractive (its console host then refuses every prompt).
    /// </summary>
    internal static class HostInteraction
    {
        public static bool CanPrompt(PSHost? host)
        {
            if (host?.UI == null || string.Equals(host.Name, "Default Host", StringComparison.OrdinalIgnoreCase) || !Environment.UserInteractive)
            {
                return false;
            }

            return !(string.Equals(host.Name, "ConsoleHost", StringComparison.OrdinalIgnoreCase) && StartedNonInteractive(Environment.GetCommandLineArgs()));
        }

        /// <summary>True when the PowerShell options (before -Command, -File and the like) include -NonInteractive or an abbreviation of it.</summary>
        internal static bool StartedNonInteractive(string[] arguments)
        {
            for (int i = 1; i < arguments.Length; i++)
            {
                string argument = arguments[i];
                if (argument.Length < 2 || (argument[0] != '-' && argument[0] != '/'))
                {
                    return false;
                }

                string name = argument.TrimStart('-', '/');
                if (name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                if (IsEndOfOptions(name))
                {
                    return false;
                }
            }

            return false;
        }

        private static bool IsEndOfOptions(string name)
        {
            foreach (string option in new[] { "command", "file", "encodedcommand", "c", "f", "e", "ec" })
            {
                if (string.Equals(name, option, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
