using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace QwenPS.TestServer.TextGeneration;

/// <summary>What "response_format" asked for.</summary>
internal enum ResponseFormatKind
{
    /// <summary>No response_format, or {"type":"text"}.</summary>
    Text,
    JsonObject,
    JsonSchema,

    /// <summary>Not an object, no "type", or an unknown type (the service answers 400).</summary>
    Malformed,
}

/// <summary>One explicit cache marker: the cache block is every text from the start of "messages" up to and
/// including the marked part (docs/dashscope-notes.md, "Context cache").</summary>
internal sealed record CacheMarker(int MessageIndex, string? Type, string Block);

/// <summary>
/// The parts of a /chat/completions body that structured output, partial mode, the context cache, web search
/// and the math models depend on (docs/dashscope-notes.md: "Structured output", "Partial mode", "Context cache", "Web search", "Math models"). Parsed from the raw body, beside
/// <see cref="Chat.ChatRequest"/>, so the shared request type stays small.
/// </summary>
internal sealed class TextGenerationRequest
{
    private static readonly Regex OpenSourceQwen3 = new(@"^qwen3-\d+(\.\d+)?b(-a\d+(\.\d+)?b)?$", RegexOptions.CultureInvariant);

    private TextGenerationRequest()
    {
    }

    public string Model { get; private set; } = string.Empty;

    public bool? EnableThinking { get; private set; }

    public ResponseFormatKind Format { get; private set; }

    /// <summary>The "type" the user sent, for the Malformed message ("" when there was none).</summary>
    public string FormatTypeText { get; private set; } = string.Empty;

    /// <summary>response_format.json_schema when it is an object.</summary>
    public JsonElement? JsonSchemaSpec { get; private set; }

    public int? MaxTokens { get; private set; }

    public bool EnableSearch { get; private set; }

    public JsonElement? SearchOptions { get; private set; }

    /// <summary>Indexes of the messages that carry "partial": true.</summary>
    public List<int> PartialIndexes { get; } = new();

    public List<string> Roles { get; } = new();

    /// <summary>U: the text of the last user message.</summary>
    public string LastUserText { get; private set; } = string.Empty;

    /// <summary>The prefix to continue: the content of the last message when it is a partial assistant message.</summary>
    public string? PartialPrefix { get; private set; }

    public List<CacheMarker> CacheMarkers { get; } = new();

    /// <summary>True when a system or user message contains "json" in any case (docs/dashscope-notes.md, "Structured output").</summary>
    public bool MentionsJson { get; private set; }

    /// <summary>Characters of all message texts (the default prompt_tokens).</summary>
    public int PromptChars { get; private set; }

    public bool IsMathModel => Model.StartsWith("qwen-math", StringComparison.OrdinalIgnoreCase)
        || Model.StartsWith("qwen2.5-math", StringComparison.OrdinalIgnoreCase);

    /// <summary>Thinking is on for this request: always for thinking-only models, else enable_thinking, else the
    /// model's default (Qwen3.5 and later, and the Qwen3 open-source hybrids, think unless told not to; docs/dashscope-notes.md, "Streamed-only and thinking models").</summary>
    public bool Thinks
    {
        get
        {
            string m = Model.ToLowerInvariant();
            if (m.StartsWith("qwq", StringComparison.Ordinal) || m.StartsWith("qvq", StringComparison.Ordinal) || m.Contains("thinking", StringComparison.Ordinal))
            {
                return true;
            }

            return EnableThinking ?? (m.StartsWith("qwen3.", StringComparison.Ordinal) || OpenSourceQwen3.IsMatch(m));
        }
    }

    /// <summary>Null when the body is not a JSON object.</summary>
    public static TextGenerationRequest? From(JsonElement? body)
    {
        if (body is not JsonElement root || root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var request = new TextGenerationRequest();
        if (root.TryGetProperty("model", out JsonElement model) && model.ValueKind == JsonValueKind.String)
        {
            request.Model = model.GetString()!;
        }

        if (root.TryGetProperty("enable_thinking", out JsonElement thinking) && thinking.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            request.EnableThinking = thinking.ValueKind == JsonValueKind.True;
        }

        if (root.TryGetProperty("max_tokens", out JsonElement maxTokens) && maxTokens.TryGetInt32(out int max))
        {
            request.MaxTokens = max;
        }

        request.EnableSearch = root.TryGetProperty("enable_search", out JsonElement search) && search.ValueKind == JsonValueKind.True;
        if (root.TryGetProperty("search_options", out JsonElement searchOptions) && searchOptions.ValueKind != JsonValueKind.Null)
        {
            request.SearchOptions = searchOptions.Clone();
        }

        request.ReadResponseFormat(root);
        if (root.TryGetProperty("messages", out JsonElement messages) && messages.ValueKind == JsonValueKind.Array)
        {
            request.ReadMessages(messages);
        }

        return request;
    }

    private void ReadResponseFormat(JsonElement root)
    {
        if (!root.TryGetProperty("response_format", out JsonElement format) || format.ValueKind == JsonValueKind.Null)
        {
            Format = ResponseFormatKind.Text;
            return;
        }

        if (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type", out JsonElement type) || type.ValueKind != JsonValueKind.String)
        {
            Format = ResponseFormatKind.Malformed;
            FormatTypeText = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out JsonElement t) ? t.GetRawText() : format.GetRawText();
            return;
        }

        FormatTypeText = type.GetString()!;
        Format = FormatTypeText switch
        {
            "text" => ResponseFormatKind.Text,
            "json_object" => ResponseFormatKind.JsonObject,
            "json_schema" => ResponseFormatKind.JsonSchema,
            _ => ResponseFormatKind.Malformed,
        };
        if (Format == ResponseFormatKind.JsonSchema && format.TryGetProperty("json_schema", out JsonElement spec) && spec.ValueKind == JsonValueKind.Object)
        {
            JsonSchemaSpec = spec.Clone();
        }
    }

    private void ReadMessages(JsonElement messages)
    {
        var soFar = new StringBuilder();
        int index = 0;
        int count = messages.GetArrayLength();
        foreach (JsonElement message in messages.EnumerateArray())
        {
            string role = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out JsonElement r) && r.ValueKind == JsonValueKind.String
                ? r.GetString()!
                : string.Empty;
            Roles.Add(role);
            string text = ReadContent(message, index, soFar);
            if ((role == "system" || role == "user") && text.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                MentionsJson = true;
            }

            if (role == "user")
            {
                LastUserText = text;
            }

            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("partial", out JsonElement partial) && partial.ValueKind == JsonValueKind.True)
            {
                PartialIndexes.Add(index);
                if (index == count - 1 && role == "assistant")
                {
                    PartialPrefix = text;
                }
            }

            index++;
        }

        PromptChars = soFar.Length;
    }

    /// <summary>The message's text (a string, or its text parts joined); records each cache marker on the way.</summary>
    private string ReadContent(JsonElement message, int index, StringBuilder soFar)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out JsonElement content))
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            string text = content.GetString()!;
            soFar.Append(text);
            return text;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var joined = new StringBuilder();
        foreach (JsonElement part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (part.TryGetProperty("type", out JsonElement type) && type.ValueEquals("text")
                && part.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String)
            {
                joined.Append(text.GetString());
                soFar.Append(text.GetString());
            }

            if (part.TryGetProperty("cache_control", out JsonElement cache))
            {
                string? cacheType = cache.ValueKind == JsonValueKind.Object && cache.TryGetProperty("type", out JsonElement ct) && ct.ValueKind == JsonValueKind.String
                    ? ct.GetString()
                    : null;
                CacheMarkers.Add(new CacheMarker(index, cacheType, soFar.ToString()));
            }
        }

        return joined.ToString();
    }
}
