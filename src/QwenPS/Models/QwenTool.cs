using System.Collections.Generic;

namespace QwenPS
{
    /// <summary>
    /// A function the model may call: its name, description and the JSON schema of its arguments, and the
    /// PowerShell command or script block that runs when it is called. Made by New-QwenTool, or by
    /// Invoke-QwenChat -Tool from a command or a script block.
    /// </summary>
    public sealed class QwenTool
    {
        internal QwenTool(string name, string? description, string parameters, string? commandName, bool supportsShouldProcess,
            object implementation, IReadOnlyCollection<string> switchParameters, IReadOnlyList<string> requiredParameters)
        {
            RequiredParameters = requiredParameters;
            Name = name;
            Description = description;
            Parameters = parameters;
            CommandName = commandName;
            SupportsShouldProcess = supportsShouldProcess;
            Implementation = implementation;
            SwitchParameters = switchParameters;
        }

        /// <summary>The function name the model sees (at most 64 characters from A-Z, a-z, 0-9, _ and -).</summary>
        public string Name { get; }

        public string? Description { get; }

        /// <summary>The JSON schema of the arguments, as sent in the request.</summary>
        public string Parameters { get; }

        /// <summary>The command that runs; null for a script block.</summary>
        public string? CommandName { get; }

        /// <summary>True when the command takes -WhatIf and -Confirm (SupportsShouldProcess).</summary>
        public bool SupportsShouldProcess { get; }

        /// <summary>The CommandInfo or ScriptBlock to invoke (kept as object: no PowerShell types in the models).</summary>
        internal object Implementation { get; }

        /// <summary>Parameters that are switches: shown as "-Name" rather than "-Name:$true" on the command line.</summary>
        internal IReadOnlyCollection<string> SwitchParameters { get; }

        /// <summary>The schema's "required" names: a call without one of them is refused before it runs, so PowerShell
        /// never prompts for a missing mandatory parameter.</summary>
        internal IReadOnlyList<string> RequiredParameters { get; }

        public override string ToString() => Name;
    }
}
