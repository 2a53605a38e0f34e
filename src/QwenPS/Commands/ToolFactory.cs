using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using QwenPS.Chat.Tools;

namespace QwenPS.Commands
{
    /// <summary>
    /// Turns what the caller gives (-Tool, New-QwenTool) into <see cref="QwenTool"/>s: reads a command's parameter
    /// metadata (one parameter set, common parameters left out) and its help, into plain
    /// <see cref="ToolParameterSpec"/>s that the engine writes as a JSON schema.
    /// </summary>
    internal sealed class ToolFactory
    {
        /// <summary>Parameters a model cannot fill from JSON text; left out unless the command requires them.</summary>
        private static readonly Type[] Inexpressible = { typeof(ScriptBlock), typeof(PSCredential), typeof(System.Security.SecureString) };

        // Runs in its own local scope (the helper function vanishes with it). A bare script block is defined as a
        // function so that Get-Command reads its param() block. Help: comment-based help straight from the syntax
        // tree (fast, and also finds help written above a function); Get-Help only for a cmdlet whose help file is
        // installed (without one it has no descriptions to give, and Windows PowerShell may offer to run Update-Help).
        private const string MetadataScript = @"
param($Target)
Set-StrictMode -Off
if ($Target -is [scriptblock]) { ${function:__QwenPSTool} = $Target; $command = Get-Command -Name '__QwenPSTool' -CommandType Function }
else { $command = $Target }
$synopsis = $null
$parameters = @{}
$block = if ($Target -is [scriptblock]) { $Target } elseif ($command -is [System.Management.Automation.FunctionInfo] -or $command -is [System.Management.Automation.ExternalScriptInfo]) { $command.ScriptBlock }
if ($block) {
    $help = $block.Ast.GetHelpContent()
    if ($help) {
        $synopsis = $help.Synopsis
        foreach ($key in $help.Parameters.Keys) { $t = ([string]$help.Parameters[$key]).Trim(); if ($t) { $parameters[$key] = $t } }
    }
}
elseif ($command.HelpFile) {
    $cultures = @((Get-UICulture).Name, (Get-UICulture).Parent.Name, 'en-US') | Where-Object { $_ }
    $bases = @($command.Module.ModuleBase, $PSHOME) | Where-Object { $_ }
    $installed = foreach ($b in $bases) { foreach ($c in $cultures) { if (Test-Path -LiteralPath (Join-Path (Join-Path $b $c) (Split-Path -Leaf $command.HelpFile))) { $true } } }
    if ($installed) {
        $help = Get-Help -Name $command.Name -Full -ErrorAction SilentlyContinue 2>$null | Select-Object -First 1
        if ($help) {
            $text = ([string]$help.Synopsis).Trim()
            if ($text -and -not $text.StartsWith($command.Name)) { $synopsis = $text }
            foreach ($p in @($help.parameters.parameter)) {
                $t = (@($p.description) | ForEach-Object { $_.Text }) -join [Environment]::NewLine
                if ($t -and $t.Trim()) { $parameters[[string]$p.name] = $t.Trim() }
            }
        }
    }
}
if ($synopsis) { $synopsis = ([string]$synopsis).Trim() }
[pscustomobject]@{ Command = $command; Synopsis = $synopsis; Parameters = $parameters }
";

        private readonly PSCmdlet _cmdlet;
        private int _scriptBlocks;

        public ToolFactory(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        /// <summary>-Tool: QwenTool objects, CommandInfo objects, command names and script blocks, in order. Names must be unique.</summary>
        public IReadOnlyList<QwenTool> FromInputs(IEnumerable<object> inputs)
        {
            var tools = new List<QwenTool>();
            foreach (object input in inputs)
            {
                object item = input is PSObject wrapped ? wrapped.BaseObject : input;
                QwenTool tool;
                switch (item)
                {
                    case QwenTool given:
                        tool = given;
                        break;
                    case CommandInfo command:
                        tool = FromCommand(command, null, null, null, null);
                        break;
                    case string name:
                        tool = FromCommand(Resolve(name), null, null, null, null);
                        break;
                    case ScriptBlock block:
                        _scriptBlocks++;
                        tool = FromScriptBlock(block, "scriptblock_" + _scriptBlocks.ToString(CultureInfo.InvariantCulture), null, null);
                        break;
                    default:
                        throw Invalid(
                            "-Tool takes commands (Get-Command output or names), script blocks with a param() block and New-QwenTool objects; got "
                            + (item?.GetType().FullName ?? "$null") + ".", item);
                }

                if (tools.Any(t => t.Name == tool.Name))
                {
                    throw Invalid("Two tools are named '" + tool.Name + "'. Give one of them another name with New-QwenTool -Name.", tool.Name);
                }

                tools.Add(tool);
            }

            return tools;
        }

        public CommandInfo Resolve(string name)
        {
            CommandInfo? command = _cmdlet.InvokeCommand.GetCommand(name, CommandTypes.Function | CommandTypes.Cmdlet | CommandTypes.Alias | CommandTypes.ExternalScript);
            return command ?? throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.ObjectNotFound, "There is no command named '" + name + "' to offer as a tool.") { Target = name };
        }

        /// <summary>A tool from a command: its parameters (of one set; <paramref name="include"/> chooses which) and its help.</summary>
        public QwenTool FromCommand(CommandInfo command, string? name, string? description, string[]? include, string? parameterSetName)
        {
            while (command is AliasInfo alias && alias.ResolvedCommand != null)
            {
                command = alias.ResolvedCommand;
            }

            if (!(command is CmdletInfo || command is FunctionInfo || command is ExternalScriptInfo))
            {
                throw Invalid("'" + command.Name + "' is a " + command.CommandType + "; only cmdlets, functions and scripts can be tools.", command.Name);
            }

            Metadata metadata = ReadMetadata(command);
            string toolName = CheckName(name ?? ToolNames.FromCommandName(command.Name));
            string? summary = description ?? metadata.Synopsis ?? "Runs the PowerShell command " + command.Name + ".";
            return Build(toolName, summary, metadata, command, command.Name, include, parameterSetName);
        }

        /// <summary>A tool from a script block: the schema is <paramref name="parametersJson"/>, or else read from its param() block.</summary>
        public QwenTool FromScriptBlock(ScriptBlock block, string name, string? description, string? parametersJson)
        {
            CheckName(name);
            Metadata metadata = ReadMetadata(block);
            if (parametersJson != null)
            {
                return new QwenTool(name, description ?? metadata.Synopsis, parametersJson, null, metadata.SupportsShouldProcess, block, Array.Empty<string>(),
                    ToolSchemaReader.Required(parametersJson));
            }

            return Build(name, description ?? metadata.Synopsis, metadata, block, null, null, null);
        }

        private QwenTool Build(string toolName, string? description, Metadata metadata, object implementation, string? commandName, string[]? include, string? parameterSetName)
        {
            CommandParameterSetInfo? set = ChooseSet(metadata.Command, parameterSetName);
            var specs = new List<ToolParameterSpec>();
            var switches = new List<string>();
            var available = set == null ? new List<CommandParameterInfo>() : set.Parameters.Where(p => !IsCommon(p.Name)).ToList();
            if (include != null)
            {
                string[] unknown = include.Where(n => !available.Any(p => string.Equals(p.Name, n, StringComparison.OrdinalIgnoreCase))).ToArray();
                if (unknown.Length > 0)
                {
                    throw Invalid(
                        metadata.Command.Name + " has no parameter " + string.Join(", ", unknown) + " in parameter set " + (set?.Name ?? "(none)")
                        + ". Its parameters are: " + string.Join(", ", available.Select(p => p.Name)) + ".", unknown[0]);
                }
            }

            foreach (CommandParameterInfo parameter in available)
            {
                bool chosen = include == null ? true : include.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase);
                if (!chosen || (include == null && !parameter.IsMandatory && Inexpressible.Any(t => t.IsAssignableFrom(parameter.ParameterType))))
                {
                    continue;
                }

                bool isSwitch = parameter.ParameterType == typeof(SwitchParameter);
                if (isSwitch)
                {
                    switches.Add(parameter.Name);
                }

                specs.Add(Spec(parameter, isSwitch, metadata.ParameterHelp));
            }

            string schema = ToolSchemaWriter.Write(specs);
            return new QwenTool(toolName, Shorten(description), schema, commandName, metadata.SupportsShouldProcess, implementation, switches, ToolSchemaReader.Required(schema));
        }

        private static ToolParameterSpec Spec(CommandParameterInfo parameter, bool isSwitch, IDictionary help)
        {
            var spec = new ToolParameterSpec(parameter.Name, isSwitch ? typeof(bool) : parameter.ParameterType)
            {
                Mandatory = parameter.IsMandatory,
                Description = Shorten(help[parameter.Name] as string ?? NullIfEmpty(parameter.HelpMessage)),
            };
            foreach (Attribute attribute in parameter.Attributes)
            {
                switch (attribute)
                {
                    case ValidateSetAttribute set:
                        spec.AllowedValues = set.ValidValues.ToArray();
                        break;
                    case ValidateRangeAttribute range:
                        spec.Minimum = Number(range.MinRange);
                        spec.Maximum = Number(range.MaxRange);
                        break;
                    case ValidatePatternAttribute pattern:
                        spec.Pattern = pattern.RegexPattern;
                        break;
                    case ValidateLengthAttribute length:
                        spec.MinLength = length.MinLength;
                        spec.MaxLength = length.MaxLength;
                        break;
                    case ValidateCountAttribute count:
                        spec.MinItems = count.MinLength;
                        spec.MaxItems = count.MaxLength;
                        break;
                }
            }

            return spec;
        }

        /// <summary>-ParameterSetName, else the default set, else the only or first one.</summary>
        private static CommandParameterSetInfo? ChooseSet(CommandInfo command, string? name)
        {
            ReadOnlyCollection<CommandParameterSetInfo> sets = command.ParameterSets;
            if (name != null)
            {
                return sets.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw Invalid(command.Name + " has no parameter set '" + name + "'. Its sets are: " + string.Join(", ", sets.Select(s => s.Name)) + ".", name);
            }

            return sets.FirstOrDefault(s => s.IsDefault) ?? sets.FirstOrDefault();
        }

        private Metadata ReadMetadata(object target)
        {
            using (PowerShell shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                shell.AddScript(MetadataScript, useLocalScope: true).AddArgument(target);
                Collection<PSObject> result = shell.Invoke();
                PSObject? found = result.LastOrDefault(r => r?.Properties["Command"] != null);
                if (found == null || !(Unwrap(found.Properties["Command"].Value) is CommandInfo command))
                {
                    string reason = shell.Streams.Error.Count > 0 ? shell.Streams.Error[0].ToString() : "Get-Command found nothing.";
                    throw Invalid("Could not read the parameters of the tool: " + reason, target);
                }

                bool supportsShouldProcess;
                try
                {
                    supportsShouldProcess = command.Parameters.ContainsKey("WhatIf");
                }
                catch (Exception)
                {
                    supportsShouldProcess = false;
                }

                return new Metadata(command, Unwrap(found.Properties["Synopsis"].Value) as string, Unwrap(found.Properties["Parameters"].Value) as IDictionary ?? new Hashtable(), supportsShouldProcess);
            }
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        private static bool IsCommon(string name) => Cmdlet.CommonParameters.Contains(name) || Cmdlet.OptionalCommonParameters.Contains(name);

        private static string CheckName(string name)
        {
            if (!ToolNames.IsValid(name))
            {
                throw Invalid("'" + name + "' is not a valid tool name: use 1 to 64 characters from A-Z, a-z, 0-9, _ and -.", name);
            }

            if (name == "search")
            {
                throw Invalid("DashScope reserves the tool name 'search'; choose another with -Name.", name);
            }

            return name;
        }

        private static double? Number(object? value)
        {
            if (value == null || value is string)
            {
                return null;
            }

            try
            {
                return Convert.ToDouble(value, CultureInfo.InvariantCulture);
            }
            catch (Exception)
            {
                return null;
            }
        }

        private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();

        /// <summary>Descriptions go to the model on every request: keep them to 1,024 characters.</summary>
        private static string? Shorten(string? text) => text == null || text.Length <= 1024 ? text : text.Substring(0, 1021) + "...";

        private static QwenException Invalid(string message, object? target) =>
            new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, message) { Target = target };

        private sealed class Metadata
        {
            public Metadata(CommandInfo command, string? synopsis, IDictionary parameterHelp, bool supportsShouldProcess)
            {
                Command = command;
                Synopsis = synopsis;
                ParameterHelp = new Hashtable(parameterHelp, StringComparer.OrdinalIgnoreCase);
                SupportsShouldProcess = supportsShouldProcess;
            }

            public CommandInfo Command { get; }

            public string? Synopsis { get; }

            public IDictionary ParameterHelp { get; }

            public bool SupportsShouldProcess { get; }
        }
    }
}
