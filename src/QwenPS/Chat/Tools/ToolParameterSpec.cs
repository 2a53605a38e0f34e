using System;
using System.Collections.Generic;

namespace QwenPS.Chat.Tools
{
    /// <summary>
    /// One parameter of a tool, as plain values: what the PowerShell adapter reads from a command's metadata and
    /// help, and what <see cref="ToolSchemaWriter"/> turns into a JSON-schema property.
    /// </summary>
    internal sealed class ToolParameterSpec
    {
        public ToolParameterSpec(string name, Type type)
        {
            Name = name;
            Type = type;
        }

        public string Name { get; }

        /// <summary>The .NET type the command declares (a switch is given as <see cref="bool"/>).</summary>
        public Type Type { get; }

        public bool Mandatory { get; set; }

        public string? Description { get; set; }

        /// <summary>ValidateSet's values; an enum type gives its names without this.</summary>
        public IReadOnlyList<string>? AllowedValues { get; set; }

        /// <summary>ValidateRange's bounds, for numbers (items of an array).</summary>
        public double? Minimum { get; set; }

        public double? Maximum { get; set; }

        /// <summary>ValidatePattern's regular expression, for strings (items of an array).</summary>
        public string? Pattern { get; set; }

        /// <summary>ValidateLength's bounds, for strings.</summary>
        public int? MinLength { get; set; }

        public int? MaxLength { get; set; }

        /// <summary>ValidateCount's bounds, for arrays.</summary>
        public int? MinItems { get; set; }

        public int? MaxItems { get; set; }
    }
}
