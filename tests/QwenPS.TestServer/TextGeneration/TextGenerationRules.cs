using System;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace QwenPS.TestServer.TextGeneration;

/// <summary>
/// The 400s the service gives for structured output, partial mode, the explicit cache, web search and the
/// math models. Messages marked [C] are the service's own words (docs/dashscope-notes.md, "Structured output", "Errors"); the others are
/// invented here (the real text is not documented) and only their meaning matters to the client.
/// </summary>
internal static class TextGenerationRules
{
    // [C] docs/dashscope-notes.md, "Structured output".
    public const string JsonWordMissing =
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.";

    // [C] docs/dashscope-notes.md, "Structured output".
    public const string JsonWithThinking = "Json mode response is not supported when enable_thinking is true";

    // [C] docs/dashscope-notes.md, "Structured output" (the service appends the type it received).
    public const string UnknownFormatPrefix =
        "Unknown format of response_format, response_format should be a dict, includes 'type' and an optional key 'json_schema'. The response_format type from user is ";

    // Invented (not documented).
    public const string SchemaNameInvalid =
        "response_format.json_schema.name is required: at most 64 characters of a-z, A-Z, 0-9, '_' and '-'.";

    public const string SchemaNotObject = "response_format.json_schema.schema must be a JSON object.";

    public const string PartialNotLast = "'partial' is only allowed on the last message, which must be an assistant message.";

    public const string PartialWithThinking = "Partial mode is not supported when enable_thinking is true";

    public const string CacheTypeInvalid = "cache_control.type only supports 'ephemeral'.";

    public const string SearchStrategyInvalid = "search_options.search_strategy must be one of: turbo, max, agent, agent_max.";

    public const string AgentSearchOptions = "search_options: the agent strategies only allow enable_source.";

    // After the service's "Range of … should be [1, N]" wording (docs/dashscope-notes.md, "Math models").
    public const string MathInputTooLong = "Range of input length should be [1, 3072]";

    public const string MathMaxTokens = "Range of max_tokens should be [1, 3072]";

    public const int MathMaxInput = 3072;

    private static readonly Regex SchemaName = new("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);

    private static readonly string[] Strategies = ["turbo", "max", "agent", "agent_max"];

    /// <summary>The 400 message for this request, or null when it is acceptable.</summary>
    public static string? Check(TextGenerationRequest request)
    {
        return CheckResponseFormat(request)
            ?? CheckPartial(request)
            ?? CheckCache(request)
            ?? CheckSearch(request)
            ?? CheckMath(request);
    }

    private static string? CheckResponseFormat(TextGenerationRequest request)
    {
        switch (request.Format)
        {
            case ResponseFormatKind.Malformed:
                return UnknownFormatPrefix + request.FormatTypeText;
            case ResponseFormatKind.JsonObject when !request.MentionsJson:
                return JsonWordMissing;
            case ResponseFormatKind.JsonSchema:
                if (request.JsonSchemaSpec is not JsonElement spec
                    || !spec.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String
                    || !SchemaName.IsMatch(name.GetString()!))
                {
                    return SchemaNameInvalid;
                }

                if (!spec.TryGetProperty("schema", out JsonElement schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    return SchemaNotObject;
                }

                break;
        }

        return request.Format != ResponseFormatKind.Text && request.Thinks ? JsonWithThinking : null;
    }

    private static string? CheckPartial(TextGenerationRequest request)
    {
        if (request.PartialIndexes.Count == 0)
        {
            return null;
        }

        int last = request.Roles.Count - 1;
        if (request.PartialIndexes.Any(i => i != last) || request.Roles[last] != "assistant")
        {
            return PartialNotLast;
        }

        return request.Thinks ? PartialWithThinking : null;
    }

    private static string? CheckCache(TextGenerationRequest request)
        => request.CacheMarkers.Any(m => m.Type != "ephemeral") ? CacheTypeInvalid : null;

    private static string? CheckSearch(TextGenerationRequest request)
    {
        if (!request.EnableSearch || request.SearchOptions is not JsonElement options || options.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string strategy = "turbo";
        if (options.TryGetProperty("search_strategy", out JsonElement s))
        {
            strategy = s.ValueKind == JsonValueKind.String ? s.GetString()! : s.GetRawText();
            if (!Strategies.Contains(strategy, StringComparer.Ordinal))
            {
                return SearchStrategyInvalid;
            }
        }

        bool agent = strategy.StartsWith("agent", StringComparison.Ordinal);
        if (agent && options.EnumerateObject().Any(p => p.Name != "search_strategy" && p.Name != "enable_source"))
        {
            return AgentSearchOptions;
        }

        return null;
    }

    private static string? CheckMath(TextGenerationRequest request)
    {
        if (!request.IsMathModel)
        {
            return null;
        }

        if (request.PromptChars > MathMaxInput)
        {
            return MathInputTooLong;
        }

        return request.MaxTokens is int max && (max < 1 || max > MathMaxInput) ? MathMaxTokens : null;
    }
}
