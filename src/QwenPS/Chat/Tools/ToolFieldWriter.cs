using System;
using System.Collections.Generic;
using System.Text.Json;

namespace QwenPS.Chat.Tools
{
    /// <summary>Writes the function-calling fields of a chat body (docs/dashscope-notes.md, "Function calling").</summary>
    internal static class ToolFieldWriter
    {
        public static IReadOnlyList<ToolDefinition> NormalizeTools(object value)
        {
            var tools = new List<ToolDefinition>();
            foreach (object? item in (System.Collections.IEnumerable)value)
            {
                tools.Add(item as ToolDefinition
                    ?? throw new ArgumentException("The tools field takes tool definitions; got " + (item?.GetType().FullName ?? "null") + ".", nameof(value)));
            }

            return tools;
        }

        /// <summary><c>"tools": [{"type": "function", "function": {"name", "description", "parameters"}}]</c>; none: not written.</summary>
        public static void WriteTools(Utf8JsonWriter writer, string name, IReadOnlyList<ToolDefinition> tools)
        {
            if (tools.Count == 0)
            {
                return;
            }

            writer.WritePropertyName(name);
            writer.WriteStartArray();
            foreach (ToolDefinition tool in tools)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "function");
                writer.WritePropertyName("function");
                writer.WriteStartObject();
                writer.WriteString("name", tool.Name);
                if (!string.IsNullOrEmpty(tool.Description))
                {
                    writer.WriteString("description", tool.Description);
                }

                writer.WritePropertyName("parameters");
                writer.WriteRawValue(tool.ParametersJson);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        /// <summary>auto/none as strings; a name as <c>{"type": "function", "function": {"name": ...}}</c>.</summary>
        public static void WriteChoice(Utf8JsonWriter writer, string name, string choice)
        {
            writer.WritePropertyName(name);
            if (!ToolChoices.IsNamed(choice))
            {
                writer.WriteStringValue(choice);
                return;
            }

            writer.WriteStartObject();
            writer.WriteString("type", "function");
            writer.WritePropertyName("function");
            writer.WriteStartObject();
            writer.WriteString("name", choice);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }
}
