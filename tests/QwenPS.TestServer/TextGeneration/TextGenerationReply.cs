using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace QwenPS.TestServer.TextGeneration;

/// <summary>
/// Turns the default reply into what structured output, the math models, web search, partial mode and
/// max_tokens make of it (README "Text generation"), in this order:
/// 1. the answer A: json_object → {"answer": A}; json_schema → an instance of the schema (<see cref="JsonAnswer"/>);
///    a math model → A + " Step: \boxed{1}. The final answer is \boxed{\frac{N}{2}}." (N = length of U);
///    enable_search → A + " [search]" or " [search: key=value, …]" echoing search_options;
/// 2. partial mode: the continuation is A without the prefix when A starts with it, else A;
/// 3. max_tokens N: an answer longer than N characters is cut to N, finish_reason "length".
/// </summary>
internal static class TextGenerationReply
{
    public static ChatReply Shape(ChatReply reply, TextGenerationRequest? request)
    {
        if (request is null || reply.ToolCalls is { Length: > 0 })
        {
            return reply;
        }

        string answer = Answer(string.Concat(reply.ContentChunks ?? []), request);
        return Finish(reply, request, answer);
    }

    /// <summary>The reply for <see cref="ServerBehavior.BadJson"/>: the JSON answer the request would get, broken.</summary>
    public static ChatReply BadJson(ChatReply reply, TextGenerationRequest? request, JsonFault fault)
    {
        string answer = string.Concat(reply.ContentChunks ?? []);
        string good = request?.JsonSchemaSpec is JsonElement spec && spec.TryGetProperty("schema", out JsonElement schema)
            ? JsonAnswer.ForSchema(schema, violate: fault == JsonFault.SchemaViolation)
            : fault == JsonFault.SchemaViolation ? "{\"unexpected\":true}" : JsonAnswer.ForObjectMode(answer);
        return fault switch
        {
            JsonFault.Invalid => reply with { ContentChunks = ChatReply.Split(JsonAnswer.Invalid(good)), FinishReason = "stop" },
            JsonFault.Truncated => reply with { ContentChunks = ChatReply.Split(JsonAnswer.Truncated(good)), FinishReason = "length" },
            _ => reply with { ContentChunks = ChatReply.Split(good), FinishReason = "stop" },
        };
    }

    private static string Answer(string answer, TextGenerationRequest request)
    {
        switch (request.Format)
        {
            case ResponseFormatKind.JsonObject:
                return JsonAnswer.ForObjectMode(answer);
            case ResponseFormatKind.JsonSchema when request.JsonSchemaSpec is JsonElement spec && spec.TryGetProperty("schema", out JsonElement schema):
                return JsonAnswer.ForSchema(schema);
        }

        if (request.IsMathModel)
        {
            int n = request.LastUserText.Length;
            answer += " Step: \\boxed{1}. The final answer is \\boxed{\\frac{" + n.ToString(CultureInfo.InvariantCulture) + "}{2}}.";
        }

        if (request.EnableSearch)
        {
            answer += SearchEcho(request.SearchOptions);
        }

        return answer;
    }

    private static string SearchEcho(JsonElement? options)
    {
        if (options is not JsonElement o || o.ValueKind != JsonValueKind.Object || !o.EnumerateObject().Any())
        {
            return " [search]";
        }

        var echo = new StringBuilder(" [search: ");
        echo.AppendJoin(", ", o.EnumerateObject().Select(p => p.Name + "=" + (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())));
        return echo.Append(']').ToString();
    }

    private static ChatReply Finish(ChatReply reply, TextGenerationRequest request, string answer)
    {
        if (request.PartialPrefix is string prefix && prefix.Length > 0 && answer.StartsWith(prefix, StringComparison.Ordinal))
        {
            answer = answer.Substring(prefix.Length);
        }

        string? finish = reply.FinishReason;
        if (request.MaxTokens is int max && max >= 0 && answer.Length > max)
        {
            int cut = max;
            if (cut > 0 && char.IsHighSurrogate(answer[cut - 1]))
            {
                cut--;
            }

            answer = answer.Substring(0, cut);
            finish = "length";
        }

        return reply with { ContentChunks = ChatReply.Split(answer), FinishReason = finish };
    }
}
