using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using QwenPS.TestServer.Chat;
using QwenPS.TestServer.Http;
using QwenPS.TestServer.Json;

namespace QwenPS.TestServer.Completions;

/// <summary>
/// POST /completions (fill-in-the-middle for the coder models; Beijing only on the real service). The reply is a
/// pure function of the prompt, so tests can predict it: for "&lt;|fim_prefix|&gt;P&lt;|fim_suffix|&gt;S&lt;|fim_middle|&gt;"
/// the text is "MIDDLE(len P,len S)", for the prefix-only template "&lt;|fim_prefix|&gt;P&lt;|fim_suffix|&gt;" it is
/// "CONTINUE(len P)", and anything else gets "TEXT(len prompt)". max_tokens (one character = one token here) cuts the
/// text and makes finish_reason "length". Streamed as text_completion chunks of 4 characters.
/// </summary>
internal static class CompletionsHandler
{
    public const string Path = "/completions";
    public const string FimPrefix = "<|fim_prefix|>";
    public const string FimSuffix = "<|fim_suffix|>";
    public const string FimMiddle = "<|fim_middle|>";
    private const string InvalidParameter = "invalid_parameter_error";

    public static Task HandleAsync(ApiCall call)
    {
        if (call.BodyElement is not JsonElement body || body.ValueKind != JsonValueKind.Object)
        {
            return Responses.CompatErrorAsync(call, 400, null, ErrorCatalog.InvalidBodyMessage);
        }

        string? model = body.TryGetProperty("model", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (string.IsNullOrEmpty(model))
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "model is required");
        }

        if (!IsCompletionsModel(model))
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter,
                "The model `" + model + "` is not supported by the completions API. Use qwen-coder-turbo or a qwen2.5-coder instruct model.");
        }

        if (!body.TryGetProperty("prompt", out JsonElement p) || p.ValueKind != JsonValueKind.String)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "prompt is required");
        }

        if (body.TryGetProperty("messages", out _))
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "messages is not a parameter of the completions API");
        }

        string prompt = p.GetString() ?? string.Empty;
        string text = ReplyText(prompt);
        string finishReason = "stop";
        if (body.TryGetProperty("max_tokens", out JsonElement max) && max.ValueKind == JsonValueKind.Number
            && max.TryGetInt32(out int maxTokens) && maxTokens < text.Length)
        {
            text = text.Substring(0, Math.Max(0, maxTokens));
            finishReason = "length";
        }

        bool stream = body.TryGetProperty("stream", out JsonElement s) && s.ValueKind == JsonValueKind.True;
        bool includeUsage = body.TryGetProperty("stream_options", out JsonElement so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out JsonElement iu) && iu.ValueKind == JsonValueKind.True;
        var usage = new UsageReply(prompt.Length, text.Length, prompt.Length + text.Length);
        string id = "cmpl-" + call.RequestId;
        if (!stream)
        {
            return Responses.JsonAsync(call, 200, Completion(id, call.Created, model, text, finishReason, usage));
        }

        return StreamAsync(call, id, model, text, finishReason, usage, includeUsage);
    }

    /// <summary>The FIM models of the real service's /completions endpoint (qwen3-coder is chat-only).</summary>
    public static bool IsCompletionsModel(string model)
        => model.StartsWith("qwen-coder-turbo", StringComparison.Ordinal)
           || (model.StartsWith("qwen2.5-coder-", StringComparison.Ordinal) && model.EndsWith("-instruct", StringComparison.Ordinal));

    public static string ReplyText(string prompt)
    {
        if (prompt.StartsWith(FimPrefix, StringComparison.Ordinal))
        {
            string rest = prompt.Substring(FimPrefix.Length);
            int suffixAt = rest.IndexOf(FimSuffix, StringComparison.Ordinal);
            if (suffixAt >= 0)
            {
                string prefix = rest.Substring(0, suffixAt);
                string afterSuffix = rest.Substring(suffixAt + FimSuffix.Length);
                if (afterSuffix.Length == 0)
                {
                    return "CONTINUE(" + prefix.Length.ToString(CultureInfo.InvariantCulture) + ")";
                }

                if (afterSuffix.EndsWith(FimMiddle, StringComparison.Ordinal))
                {
                    string suffix = afterSuffix.Substring(0, afterSuffix.Length - FimMiddle.Length);
                    return "MIDDLE(" + prefix.Length.ToString(CultureInfo.InvariantCulture) + "," + suffix.Length.ToString(CultureInfo.InvariantCulture) + ")";
                }
            }
        }

        return "TEXT(" + prompt.Length.ToString(CultureInfo.InvariantCulture) + ")";
    }

    private static async Task StreamAsync(ApiCall call, string id, string model, string text, string finishReason, UsageReply usage, bool includeUsage)
    {
        var sse = new SseWriter(call.Context.Response, crLf: false, noSpaceAfterColon: false, call.Aborted);
        await SseWriter.StartAsync(call.Context.Response, "text/event-stream", call.Aborted).ConfigureAwait(false);
        string[] pieces = ChatReply.Split(text);
        for (int i = 0; i < pieces.Length; i++)
        {
            await sse.WriteDataAsync(Chunk(id, call.Created, model, pieces[i], i == pieces.Length - 1 ? finishReason : null, null)).ConfigureAwait(false);
        }

        if (pieces.Length == 0)
        {
            await sse.WriteDataAsync(Chunk(id, call.Created, model, string.Empty, finishReason, null)).ConfigureAwait(false);
        }

        if (includeUsage)
        {
            await sse.WriteDataAsync(Chunk(id, call.Created, model, null, null, usage)).ConfigureAwait(false);
        }

        await sse.WriteDataAsync("[DONE]").ConfigureAwait(false);
    }

    private static string Completion(string id, long created, string model, string text, string finishReason, UsageReply usage)
    {
        var json = new JsonBuilder().BeginObject()
            .Prop("id", id)
            .Prop("object", "text_completion")
            .Prop("created", created)
            .Prop("model", model)
            .BeginArray("choices").BeginObject()
            .Prop("text", text).Prop("finish_reason", finishReason).Prop("index", 0).PropNull("logprobs")
            .EndObject().EndArray();
        Usage(json, usage);
        return json.PropNull("system_fingerprint").EndObject().ToString();
    }

    // A usage-only chunk has an empty choices array, as chat's does.
    private static string Chunk(string id, long created, string model, string? text, string? finishReason, UsageReply? usage)
    {
        var json = new JsonBuilder().BeginObject().Prop("id", id).Prop("object", "text_completion").Prop("created", created).Prop("model", model)
            .BeginArray("choices");
        if (text is not null)
        {
            json.BeginObject().Prop("text", text).Prop("finish_reason", finishReason).Prop("index", 0).PropNull("logprobs").EndObject();
        }

        json.EndArray();
        if (usage is not null)
        {
            Usage(json, usage);
        }
        else
        {
            json.PropNull("usage");
        }

        return json.EndObject().ToString();
    }

    private static void Usage(JsonBuilder json, UsageReply usage)
        => json.BeginObject("usage")
            .Prop("prompt_tokens", usage.PromptTokens)
            .Prop("completion_tokens", usage.CompletionTokens)
            .Prop("total_tokens", usage.TotalTokens)
            .EndObject();
}
