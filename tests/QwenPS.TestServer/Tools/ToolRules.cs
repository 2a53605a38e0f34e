using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace QwenPS.TestServer.Tools;

/// <summary>
/// The function-calling rules the service enforces on a /chat/completions body, checked the way it does
/// (a 400 compat envelope, code invalid_parameter_error): the tools list, tool_choice, parallel_tool_calls,
/// and the shape of a tool conversation (every tool_call id of an assistant message answered by a tool
/// message before the next other message; no tool message without a call to answer).
/// Quoted messages are the service's where it is known (see README), else worded the same way.
/// </summary>
internal static partial class ToolRules
{
    public const string UnansweredPrefix =
        "An assistant message with \"tool_calls\" must be followed by tool messages responding to each \"tool_call_id\". "
        + "The following tool_call_ids did not have response messages: ";

    public const string OrphanToolMessage = "Messages with role \"tool\" must be a response to a preceding message with \"tool_calls\"";

    public const string ToolChoiceStrings = "tool_choice is one of the strings that should be [\"none\", \"auto\"]";

    public const string NamedChoiceWhileThinking = "The tool_choice parameter does not support being set to a specific function in thinking mode.";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    /// <summary>The error message for the first rule the body breaks, or null when it keeps them all
    /// (or is not a JSON object: the other checks deal with that).</summary>
    public static string? Check(JsonElement? body, bool thinking)
    {
        if (body is not JsonElement root || root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var toolNames = new List<string>();
        if (root.TryGetProperty("tools", out JsonElement tools) && CheckTools(tools, toolNames) is string toolsError)
        {
            return toolsError;
        }

        if (root.TryGetProperty("tool_choice", out JsonElement choice) && CheckChoice(choice, toolNames, thinking) is string choiceError)
        {
            return choiceError;
        }

        if (root.TryGetProperty("parallel_tool_calls", out JsonElement parallel)
            && parallel.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            return "parallel_tool_calls must be a boolean.";
        }

        if (root.TryGetProperty("messages", out JsonElement messages) && messages.ValueKind == JsonValueKind.Array)
        {
            return CheckConversation(messages);
        }

        return null;
    }

    /// <summary>The ids of the tool messages at the end of the conversation (the results the model now reads).</summary>
    public static List<string> TrailingToolResults(JsonElement? body)
    {
        var ids = new List<string>();
        if (body is not JsonElement root || root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("messages", out JsonElement messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return ids;
        }

        foreach (JsonElement message in messages.EnumerateArray().Reverse())
        {
            if (Role(message) != "tool")
            {
                break;
            }

            ids.Insert(0, StringProperty(message, "tool_call_id") ?? string.Empty);
        }

        return ids;
    }

    private static string? CheckTools(JsonElement tools, List<string> names)
    {
        if (tools.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            return "tools must be an array.";
        }

        int i = 0;
        foreach (JsonElement tool in tools.EnumerateArray())
        {
            string where = "tools[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            if (tool.ValueKind != JsonValueKind.Object || StringProperty(tool, "type") != "function")
            {
                return "Invalid '" + where + ".type': expected \"function\".";
            }

            if (!tool.TryGetProperty("function", out JsonElement function) || function.ValueKind != JsonValueKind.Object)
            {
                return "Missing required parameter: '" + where + ".function'.";
            }

            string? name = StringProperty(function, "name");
            if (name is null)
            {
                return "Missing required parameter: '" + where + ".function.name'.";
            }

            if (!NamePattern().IsMatch(name))
            {
                return "Invalid '" + where + ".function.name': string does not match pattern. Expected a string of at most 64 characters that matches the pattern '^[a-zA-Z0-9_-]+$'.";
            }

            if (name == "search")
            {
                return "Tool names are not allowed to be [search]";
            }

            if (names.Contains(name, StringComparer.Ordinal))
            {
                return "Duplicate tool name in tools: " + name + ".";
            }

            if (function.TryGetProperty("parameters", out JsonElement parameters) && parameters.ValueKind != JsonValueKind.Object)
            {
                return "Invalid '" + where + ".function.parameters': expected an object (a JSON schema).";
            }

            names.Add(name);
            i++;
        }

        return null;
    }

    private static string? CheckChoice(JsonElement choice, List<string> toolNames, bool thinking)
    {
        switch (choice.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return choice.GetString() is "none" or "auto" ? null : ToolChoiceStrings;
            case JsonValueKind.Object:
                string? name = StringProperty(choice, "type") == "function"
                    && choice.TryGetProperty("function", out JsonElement function) && function.ValueKind == JsonValueKind.Object
                    ? StringProperty(function, "name")
                    : null;
                if (name is null)
                {
                    return "tool_choice must be \"none\", \"auto\" or {\"type\": \"function\", \"function\": {\"name\": \"...\"}}.";
                }

                if (thinking)
                {
                    return NamedChoiceWhileThinking;
                }

                return toolNames.Contains(name, StringComparer.Ordinal) ? null : "tool_choice names a function that is not in tools: " + name + ".";
            default:
                return ToolChoiceStrings;
        }
    }

    private static string? CheckConversation(JsonElement messages)
    {
        // Ids the latest assistant message asked for that no tool message has answered yet.
        var pending = new List<string>();
        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement message in messages.EnumerateArray())
        {
            string role = Role(message);
            if (role == "tool")
            {
                string? id = StringProperty(message, "tool_call_id");
                if (string.IsNullOrEmpty(id))
                {
                    return "Missing required parameter: 'tool_call_id' in a message with role \"tool\".";
                }

                if (!pending.Remove(id) && !answered.Contains(id))
                {
                    return OrphanToolMessage;
                }

                if (!answered.Add(id))
                {
                    return "Duplicate tool message for tool_call_id " + id + ".";
                }

                continue;
            }

            if (pending.Count > 0)
            {
                return UnansweredPrefix + string.Join(", ", pending);
            }

            answered.Clear();
            if (role == "assistant" && message.TryGetProperty("tool_calls", out JsonElement calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement call in calls.EnumerateArray())
                {
                    if (CheckSentCall(call) is string callError)
                    {
                        return callError;
                    }

                    pending.Add(StringProperty(call, "id")!);
                }
            }
        }

        return pending.Count > 0 ? UnansweredPrefix + string.Join(", ", pending) : null;
    }

    /// <summary>An assistant tool call sent back in the history must be complete: id, type, name, arguments (a string).</summary>
    private static string? CheckSentCall(JsonElement call)
    {
        if (call.ValueKind != JsonValueKind.Object || string.IsNullOrEmpty(StringProperty(call, "id")))
        {
            return "Missing required parameter: 'messages.tool_calls.id'.";
        }

        if (StringProperty(call, "type") != "function")
        {
            return "Invalid 'messages.tool_calls.type': expected \"function\".";
        }

        if (!call.TryGetProperty("function", out JsonElement function) || function.ValueKind != JsonValueKind.Object
            || string.IsNullOrEmpty(StringProperty(function, "name")))
        {
            return "Missing required parameter: 'messages.tool_calls.function.name'.";
        }

        return StringProperty(function, "arguments") is null
            ? "Invalid 'messages.tool_calls.function.arguments': expected a string (JSON text)."
            : null;
    }

    private static string Role(JsonElement message) => message.ValueKind == JsonValueKind.Object ? StringProperty(message, "role") ?? string.Empty : string.Empty;

    private static string? StringProperty(JsonElement element, string name)
        => element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
