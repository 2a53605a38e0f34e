using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace QwenPS.TestServer.Chat;

/// <summary>The parts of a /chat/completions body the default reply depends on (docs/dashscope-notes.md, "Chat request body").</summary>
internal sealed class ChatRequest
{
    private ChatRequest()
    {
    }

    /// <summary>The whole body (a JSON object).</summary>
    public JsonElement Body { get; private set; }

    /// <summary>The "model" value when it is a string; null otherwise.</summary>
    public string? Model { get; private set; }

    /// <summary>True only for "stream": true.</summary>
    public bool Stream { get; private set; }

    public bool IncludeUsage { get; private set; }

    public bool? EnableThinking { get; private set; }

    /// <summary>False when "messages" is missing or not an array.</summary>
    public bool HasMessagesArray { get; private set; }

    public List<ChatMessage> Messages { get; } = new();

    /// <summary>U: the text of the last user message ("" when there is none).</summary>
    public string LastUserText { get; private set; } = string.Empty;

    /// <summary>P: total characters of all message contents (text parts only for array contents).</summary>
    public long PromptChars { get; private set; }

    public bool WantsReasoning =>
        EnableThinking == true || (Model is string m && (StartsWith(m, "qwq") || StartsWith(m, "qvq") || m.Contains("thinking", StringComparison.OrdinalIgnoreCase)));

    public bool IsStreamOnlyModel =>
        Model is string m && (StartsWith(m, "qwq") || StartsWith(m, "qvq") || m.Contains("omni", StringComparison.OrdinalIgnoreCase));

    /// <summary>Null when the body is not a JSON object.</summary>
    public static ChatRequest? From(JsonElement? body)
    {
        if (body is not JsonElement root || root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var request = new ChatRequest { Body = root };
        if (root.TryGetProperty("model", out JsonElement model) && model.ValueKind == JsonValueKind.String)
        {
            request.Model = model.GetString();
        }

        request.Stream = root.TryGetProperty("stream", out JsonElement stream) && stream.ValueKind == JsonValueKind.True;
        request.IncludeUsage = root.TryGetProperty("stream_options", out JsonElement options)
            && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage", out JsonElement includeUsage)
            && includeUsage.ValueKind == JsonValueKind.True;
        if (root.TryGetProperty("enable_thinking", out JsonElement thinking) && thinking.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            request.EnableThinking = thinking.ValueKind == JsonValueKind.True;
        }

        if (root.TryGetProperty("messages", out JsonElement messages) && messages.ValueKind == JsonValueKind.Array)
        {
            request.HasMessagesArray = true;
            foreach (JsonElement message in messages.EnumerateArray())
            {
                ChatMessage parsed = ChatMessage.From(message);
                request.Messages.Add(parsed);
                request.PromptChars += parsed.Text.Length;
                if (parsed.Role == "user")
                {
                    request.LastUserText = parsed.Text;
                }
            }
        }

        return request;
    }

    private static bool StartsWith(string value, string prefix) => value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}

/// <param name="Role">The "role" value, or "" when missing.</param>
/// <param name="StringContent">The content when it is a plain string, else null.</param>
/// <param name="Text">The content as text: the string itself, or the text parts of an array joined with no separator.</param>
internal sealed record ChatMessage(string Role, string? StringContent, string Text)
{
    public static ChatMessage From(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return new ChatMessage(string.Empty, null, string.Empty);
        }

        string role = message.TryGetProperty("role", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : string.Empty;
        if (!message.TryGetProperty("content", out JsonElement content))
        {
            return new ChatMessage(role, null, string.Empty);
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            string text = content.GetString()!;
            return new ChatMessage(role, text, text);
        }

        var joined = new StringBuilder();
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement part in content.EnumerateArray())
            {
                if (part.ValueKind == JsonValueKind.Object
                    && part.TryGetProperty("type", out JsonElement type) && type.ValueEquals("text")
                    && part.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String)
                {
                    joined.Append(text.GetString());
                }
            }
        }

        return new ChatMessage(role, null, joined.ToString());
    }
}
