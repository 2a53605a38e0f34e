using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace QwenPS.Chat
{
    /// <summary>
    /// One top-level field of the chat body: the Invoke-QwenChat parameter that sets it, its wire name, and how
    /// its value is written. The rows are in <see cref="ChatFields.All"/>; the cmdlet and the writer both read them.
    /// </summary>
    internal sealed class ChatField
    {
        public ChatField(string parameter, string wireName, ChatFieldKind kind)
        {
            Parameter = parameter;
            WireName = wireName;
            Kind = kind;
        }

        /// <summary>The cmdlet parameter's name (what the binder reports in BoundParameters).</summary>
        public string Parameter { get; }

        /// <summary>The body field's name, as DashScope spells it.</summary>
        public string WireName { get; }

        public ChatFieldKind Kind { get; }

        /// <summary>A bound parameter value (already unwrapped from PowerShell) as the value this field carries.</summary>
        public object Normalize(object value)
        {
            switch (Kind)
            {
                case ChatFieldKind.Boolean:
                    return Convert.ToBoolean(value, CultureInfo.InvariantCulture);
                case ChatFieldKind.Integer:
                    return Convert.ToInt32(value, CultureInfo.InvariantCulture);
                case ChatFieldKind.Number:
                    return Convert.ToDouble(value, CultureInfo.InvariantCulture);
                case ChatFieldKind.AudioOutput:
                    return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                case ChatFieldKind.NameArray:
                    var names = new List<string>();
                    foreach (object? item in value is string single ? new object[] { single } : (System.Collections.IEnumerable)value)
                    {
                        string name = (Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty).ToLowerInvariant();
                        if (!names.Contains(name))
                        {
                            names.Add(name);
                        }
                    }

                    return names;
                case ChatFieldKind.Tools:
                    return Tools.ToolFieldWriter.NormalizeTools(value);
                case ChatFieldKind.ToolChoice:
                    return Tools.ToolChoices.Normalize(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                case ChatFieldKind.Object:
                    return value;
                default:
                    if (value is string one)
                    {
                        return new[] { one };
                    }

                    var list = new List<string>();
                    foreach (object? item in (System.Collections.IEnumerable)value)
                    {
                        list.Add(Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty);
                    }

                    return list;
            }
        }

        /// <summary>Writes <c>"name": value</c>; an empty list is not written at all.</summary>
        public void Write(Utf8JsonWriter writer, object value)
        {
            switch (Kind)
            {
                case ChatFieldKind.Boolean:
                    writer.WriteBoolean(WireName, (bool)value);
                    return;
                case ChatFieldKind.Integer:
                    writer.WriteNumber(WireName, (int)value);
                    return;
                case ChatFieldKind.Number:
                    writer.WriteNumber(WireName, (double)value);
                    return;
                case ChatFieldKind.AudioOutput:
                    writer.WritePropertyName(WireName);
                    writer.WriteStartObject();
                    if (((string)value).Length > 0)
                    {
                        writer.WriteString("voice", (string)value);
                    }

                    // wav is the only format the service speaks in (docs/dashscope-notes.md, "Qwen-Omni").
                    writer.WriteString("format", "wav");
                    writer.WriteEndObject();
                    return;
                case ChatFieldKind.NameArray:
                    writer.WritePropertyName(WireName);
                    writer.WriteStartArray();
                    foreach (string name in (IReadOnlyList<string>)value)
                    {
                        writer.WriteStringValue(name);
                    }

                    writer.WriteEndArray();
                    return;
                case ChatFieldKind.Tools:
                    Tools.ToolFieldWriter.WriteTools(writer, WireName, (IReadOnlyList<Tools.ToolDefinition>)value);
                    return;
                case ChatFieldKind.ToolChoice:
                    Tools.ToolFieldWriter.WriteChoice(writer, WireName, (string)value);
                    return;
                case ChatFieldKind.Object:
                    writer.WritePropertyName(WireName);
                    Transport.JsonValueWriter.Write(writer, value, WireName);
                    return;
                default:
                    var items = (IReadOnlyList<string>)value;
                    if (items.Count == 0)
                    {
                        return;
                    }

                    writer.WritePropertyName(WireName);
                    if (items.Count == 1)
                    {
                        writer.WriteStringValue(items[0]);
                        return;
                    }

                    writer.WriteStartArray();
                    foreach (string item in items)
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                    return;
            }
        }

        public override string ToString() => Parameter + " -> " + WireName;
    }
}
