using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using QwenPS.TestServer.Http;
using QwenPS.TestServer.Omni;
using QwenPS.TestServer.TextGeneration;

namespace QwenPS.TestServer.Chat;

/// <summary>
/// POST /chat/completions. The default reply is a pure function of the request, so client tests can predict it:
/// R = "Thinking about: " + U (thinking models only), A = "Answer to: " + U, streamed in 4-char pieces.
/// </summary>
internal static class ChatHandler
{
    private const string InvalidParameter = "invalid_parameter_error";

    /// <summary>The default handling: validate like the real service, then answer deterministically.
    /// <paramref name="audio"/>: the spoken answer for Omni audio output (OmniBehaviors.Audio).</summary>
    public static Task HandleAsync(ApiCall call, AudioReply? audio = null)
    {
        ChatRequest? request = ChatRequest.From(call.BodyElement);
        if (request is null)
        {
            // The gateway's answer to a body that is not JSON has no "code" (docs/dashscope-notes.md, "Errors").
            return Responses.CompatErrorAsync(call, 400, null, ErrorCatalog.InvalidBodyMessage);
        }

        if (string.IsNullOrEmpty(request.Model))
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "model is required");
        }

        if (!request.HasMessagesArray)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "messages is required");
        }

        if (request.Messages.Count == 0)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, "messages must not be empty");
        }

        if (Translation.TranslationHandler.IsTranslationModel(request.Model))
        {
            return Translation.TranslationHandler.HandleAsync(call, request);
        }

        // Content parts, data URLs and the Omni output settings (Omni/README.md).
        MediaRequest media = MediaRequest.From(call.BodyElement!.Value, request.Model, request.Stream, request.EnableThinking, out string? mediaError);
        if (mediaError is not null)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, mediaError);
        }

        if (request.IsStreamOnlyModel && !request.Stream)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, ErrorCatalog.StreamOnlyMessage);
        }

        if (Tools.ToolRules.Check(call.BodyElement, request.WantsReasoning) is string toolError)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, toolError);
        }

        (string? fileError, List<string> fileIds) = CheckFiles(call, request);
        if (fileError is not null)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, fileError);
        }

        // Structured output, partial mode, cache markers, web search, math (TextGeneration/).
        TextGenerationRequest? text = TextGenerationRequest.From(call.BodyElement);
        if (text is not null && TextGenerationRules.Check(text) is string textError)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, textError);
        }

        ChatReply reply = TextGenerationReply.Shape(DefaultReply(request, fileIds), text);
        if (text is { CacheMarkers.Count: > 0 })
        {
            reply = reply with { Usage = call.Server.ContextCache.Apply(text, ComputeUsage(request, reply)) };
        }

        return RespondAsync(call, request, reply, request.Stream, options: null, media, audio);
    }

    /// <summary>ServerBehavior.Reply: these texts, streamed or not as the request asked; no validation.</summary>
    public static Task ReplyAsync(ApiCall call, ChatReply reply)
    {
        ChatRequest? request = ChatRequest.From(call.BodyElement);
        if (Tools.ToolRules.Check(call.BodyElement, request?.WantsReasoning == true) is string toolError)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, toolError);
        }

        return RespondAsync(call, request, reply, request?.Stream ?? false, options: null);
    }

    /// <summary>ServerBehavior.Stream: always SSE, with the faults in <paramref name="options"/>.</summary>
    public static Task StreamAsync(ApiCall call, StreamOptions options)
    {
        ChatRequest? request = ChatRequest.From(call.BodyElement);
        if (Tools.ToolRules.Check(call.BodyElement, request?.WantsReasoning == true) is string toolError)
        {
            return Responses.CompatErrorAsync(call, 400, InvalidParameter, toolError);
        }

        ChatReply reply = options.Reply ?? TextGenerationReply.Shape(
            DefaultReply(request, request is null ? [] : CheckFiles(call, request).FileIds), TextGenerationRequest.From(call.BodyElement));
        return RespondAsync(call, request, reply, stream: true, options);
    }

    /// <summary>The deterministic default reply (see README "Default chat reply").</summary>
    public static ChatReply DefaultReply(ChatRequest? request, IReadOnlyList<string> fileIds)
    {
        string user = request?.LastUserText ?? string.Empty;
        string answer = "Answer to: " + user;
        if (fileIds.Count > 0)
        {
            answer += " [files: " + string.Join(",", fileIds) + "]";
        }

        if (request is not null && Tools.ToolRules.TrailingToolResults(request.Body) is { Count: > 0 } toolResults)
        {
            answer += " [tool results: " + string.Join(",", toolResults) + "]";
        }

        return ChatReply.FromText(answer, request is { WantsReasoning: true } ? "Thinking about: " + user : null);
    }

    /// <summary>qwen-long documents: every "fileid://A,fileid://B" system message must name processed files.</summary>
    private static (string? Error, List<string> FileIds) CheckFiles(ApiCall call, ChatRequest request)
    {
        var ids = new List<string>();
        foreach (ChatMessage message in request.Messages)
        {
            if (message.Role != "system" || message.StringContent is not string content
                || !content.StartsWith("fileid://", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (string item in content.Split(','))
            {
                string reference = item.Trim();
                if (!reference.StartsWith("fileid://", StringComparison.Ordinal))
                {
                    continue;
                }

                string id = reference.Substring("fileid://".Length);
                StoredFile? file = call.Server.Files.Get(id);
                if (file is null)
                {
                    return ("File [id:" + id + "] not found.", ids);
                }

                if (file.Status == "processing")
                {
                    return ("File parsing in progress, please try again later.", ids);
                }

                if (file.Status != "processed")
                {
                    return ("File [id:" + id + "] format is not supported.", ids);
                }

                ids.Add(id);
            }
        }

        return (null, ids);
    }

    internal static Task RespondAsync(ApiCall call, ChatRequest? request, ChatReply reply, bool stream, StreamOptions? options,
        MediaRequest? media = null, AudioReply? audio = null)
    {
        var meta = new ChunkMeta("chatcmpl-" + call.RequestId, call.Created, reply.Model ?? request?.Model ?? string.Empty);
        UsageReply usage = reply.Usage ?? ComputeUsage(request, reply);
        string finishReason = reply.FinishReason ?? (reply.ToolCalls is { Length: > 0 } ? "tool_calls" : "stop");
        if (!stream)
        {
            return Responses.JsonAsync(call, 200, ChatJson.Completion(meta, reply, usage, finishReason));
        }

        options ??= new StreamOptions();
        bool includeUsage = options.IncludeUsage ?? request?.IncludeUsage ?? false;
        TimeSpan delay = options.ChunkDelay > TimeSpan.Zero ? options.ChunkDelay : reply.ChunkDelay;
        media ??= request?.Model is string model && call.BodyElement is System.Text.Json.JsonElement body
            ? MediaRequest.From(body, model, stream, request.EnableThinking, out _)
            : null;
        if (media is { IsOmni: true })
        {
            var omni = new OmniStream(meta, reply, media, audio, finishReason, includeUsage, request?.PromptChars ?? 0);
            options = omni.CutAfterChunks() is int cut ? options with { CutAfterChunks = cut } : options;
            delay = delay > TimeSpan.Zero ? delay : omni.ChunkDelay;
            return PlayStreamAsync(call, omni.Chunks(), options, delay);
        }

        List<string> chunks = ChatJson.StreamChunks(meta, reply, usage, finishReason, includeUsage);
        return PlayStreamAsync(call, chunks, options, delay);
    }

    /// <summary>P = characters of all message contents; C = characters produced (reasoning + content + tool arguments).</summary>
    internal static UsageReply ComputeUsage(ChatRequest? request, ChatReply reply)
    {
        int prompt = (int)Math.Min(int.MaxValue, request?.PromptChars ?? 0);
        int reasoning = (reply.ReasoningChunks ?? []).Sum(p => p.Length);
        int content = (reply.ContentChunks ?? []).Sum(p => p.Length);
        int arguments = (reply.ToolCalls ?? []).Sum(c => c.ArgumentFragments.Sum(f => f.Length));
        int completion = reasoning + content + arguments;
        return new UsageReply(prompt, completion, prompt + completion, 0, reasoning);
    }

    /// <summary>Writes the chunks as SSE, injecting the faults of <paramref name="options"/> (see StreamOptions).</summary>
    private static async Task PlayStreamAsync(ApiCall call, IEnumerable<string> chunks, StreamOptions options, TimeSpan delay)
    {
        var sse = new SseWriter(call.Context.Response, options.CrLf, options.NoSpaceAfterColon, call.Aborted);
        await SseWriter.StartAsync(call.Context.Response, options.ContentType, call.Aborted).ConfigureAwait(false);
        if (options.Utf8Bom)
        {
            await sse.WriteBomAsync().ConfigureAwait(false);
        }

        if (await ApplyFaultsAsync(call, sse, options, written: 0).ConfigureAwait(false))
        {
            return;
        }

        int count = 0;
        foreach (string chunk in chunks)
        {
            await BeforeEventAsync(call, sse, options, delay).ConfigureAwait(false);
            await sse.WriteDataAsync(chunk).ConfigureAwait(false);
            if (await ApplyFaultsAsync(call, sse, options, written: ++count).ConfigureAwait(false))
            {
                return;
            }
        }

        if (options.CutAfterFinish || options.CutAfterChunks > count)
        {
            await SseWriter.AbortAsync(call.Context).ConfigureAwait(false);
            return;
        }

        await BeforeEventAsync(call, sse, options, delay).ConfigureAwait(false);
        await sse.WriteDataAsync("[DONE]").ConfigureAwait(false);
    }

    private static async Task BeforeEventAsync(ApiCall call, SseWriter sse, StreamOptions options, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, call.Aborted).ConfigureAwait(false);
        }

        if (options.CommentLines)
        {
            await sse.WriteCommentAsync("keep-alive").ConfigureAwait(false);
        }
    }

    /// <summary>Returns true when the response must end here.</summary>
    private static async Task<bool> ApplyFaultsAsync(ApiCall call, SseWriter sse, StreamOptions options, int written)
    {
        if (options.SilenceAfterChunks == written && options.SilenceDuration > TimeSpan.Zero)
        {
            await Task.Delay(options.SilenceDuration, call.Aborted).ConfigureAwait(false);
        }

        if (options.MalformedLineAfterChunks == written)
        {
            await sse.WriteDataAsync("{\"choices\":[{\"delta\":{\"content\":").ConfigureAwait(false);
        }

        if (options.ErrorChunkAfterChunks == written)
        {
            await sse.WriteDataAsync(ChatJson.ErrorChunk(call.RequestId, options.ErrorCode, options.ErrorMessage)).ConfigureAwait(false);
            return true;
        }

        if (options.CutAfterChunks == written)
        {
            await SseWriter.AbortAsync(call.Context).ConfigureAwait(false);
            return true;
        }

        return false;
    }
}
