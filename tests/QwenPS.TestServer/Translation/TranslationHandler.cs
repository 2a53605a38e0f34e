using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using QwenPS.TestServer.Chat;
using QwenPS.TestServer.Http;

namespace QwenPS.TestServer.Translation;

/// <summary>
/// Chat requests for the Qwen-MT models (qwen-mt-plus, -flash, -lite, -turbo). Like the service, it takes exactly
/// one user message and a top-level translation_options object, refuses an unsupported language with the
/// service's message, and streams plus/turbo cumulatively (every chunk repeats the whole translation so far).
/// The translation reflects the options, so tests can check they arrived:
/// "[{source}&gt;{target}] {text with each term's source replaced by its target}", then " {tm:N}" when tm_list has
/// N pairs and " {domain:D}" when domains is set. Without translation_options (custom prompt mode) it is
/// "[custom] {text}".
/// </summary>
internal static class TranslationHandler
{
    public const string UnsupportedLanguageMessage = "暂时不支持当前设置的语种！(The currently set language is not supported!)";
    public const string OneUserMessageMessage = "Qwen-MT models take exactly one user message: no system message and no history.";
    private const string InvalidParameter = "invalid_parameter_error";

    public static bool IsTranslationModel(string? model) => model is not null && model.StartsWith("qwen-mt-", StringComparison.Ordinal);

    /// <summary>plus and turbo cannot stream incrementally: their chunks are cumulative.</summary>
    public static bool StreamsCumulatively(string model)
        => model.StartsWith("qwen-mt-plus", StringComparison.Ordinal) || model.StartsWith("qwen-mt-turbo", StringComparison.Ordinal);

    public static Task HandleAsync(ApiCall call, ChatRequest request)
    {
        string model = request.Model!;
        if (request.Messages.Count != 1 || request.Messages[0].Role != "user")
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, OneUserMessageMessage);
        }

        string text = request.Messages[0].Text;
        JsonElement body = call.BodyElement!.Value;
        string translation;
        if (!body.TryGetProperty("translation_options", out JsonElement options) || options.ValueKind == JsonValueKind.Null)
        {
            translation = "[custom] " + text;
        }
        else if (options.ValueKind != JsonValueKind.Object)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "translation_options must be an object");
        }
        else
        {
            bool lite = model.StartsWith("qwen-mt-lite", StringComparison.Ordinal);
            string? targetValue = StringProperty(options, "target_lang");
            if (targetValue is null)
            {
                return Responses.CompatErrorAsync(call, 400, InvalidParameter, "translation_options.target_lang is required");
            }

            string sourceValue = StringProperty(options, "source_lang") ?? "auto";
            string? source = sourceValue == "auto" ? "auto" : TranslationLanguages.Resolve(sourceValue, lite);
            string? target = TranslationLanguages.Resolve(targetValue, lite);
            if (source is null || target is null)
            {
                return Responses.CompatErrorAsync(call, 400, InvalidParameter, UnsupportedLanguageMessage);
            }

            translation = Translate(source, target, text, options);
        }

        ChatReply reply = request.Stream && StreamsCumulatively(model) ? Cumulative(translation, request.PromptChars) : ChatReply.FromText(translation);
        return ChatHandler.RespondAsync(call, request, reply, request.Stream, options: null);
    }

    private static string Translate(string source, string target, string text, JsonElement options)
    {
        var result = new StringBuilder("[").Append(source).Append('>').Append(target).Append("] ");
        string translated = text;
        if (options.TryGetProperty("terms", out JsonElement terms) && terms.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement term in terms.EnumerateArray())
            {
                string? from = StringProperty(term, "source");
                string? to = StringProperty(term, "target");
                if (!string.IsNullOrEmpty(from) && to is not null)
                {
                    translated = translated.Replace(from, to, StringComparison.Ordinal);
                }
            }
        }

        result.Append(translated);
        if (options.TryGetProperty("tm_list", out JsonElement tm) && tm.ValueKind == JsonValueKind.Array)
        {
            result.Append(" {tm:").Append(tm.GetArrayLength().ToString(CultureInfo.InvariantCulture)).Append('}');
        }

        if (StringProperty(options, "domains") is string domains)
        {
            result.Append(" {domain:").Append(domains).Append('}');
        }

        return result.ToString();
    }

    /// <summary>Chunks that each carry the whole translation so far; the last is the full text.</summary>
    private static ChatReply Cumulative(string translation, long promptChars)
    {
        string[] pieces = ChatReply.Split(translation);
        var chunks = new List<string>(pieces.Length);
        var sofar = new StringBuilder();
        foreach (string piece in pieces)
        {
            sofar.Append(piece);
            chunks.Add(sofar.ToString());
        }

        // Usage counts the translation once, not every repetition of it.
        int prompt = (int)Math.Min(int.MaxValue, promptChars);
        return new ChatReply { ContentChunks = chunks.ToArray(), Usage = new UsageReply(prompt, translation.Length, prompt + translation.Length) };
    }

    private static string? StringProperty(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
