using System.Collections.Generic;
using QwenPS.TestServer.Json;

namespace QwenPS.TestServer.Chat;

/// <summary>The fields every chunk of one stream shares.</summary>
internal readonly record struct ChunkMeta(string Id, long Created, string Model);

/// <summary>
/// Builds chat.completion / chat.completion.chunk JSON as in docs/dashscope-notes.md ("Chat responses", "Streaming"). Key order deliberately differs a
/// little between chunk kinds (role chunk, text chunks, tool fragments, finish, usage), as the real service's
/// does, so a client that depends on key order fails here rather than in production.
/// </summary>
internal static class ChatJson
{
    /// <summary>Non-stream body (object "chat.completion").</summary>
    public static string Completion(ChunkMeta meta, ChatReply reply, UsageReply usage, string finishReason)
    {
        var json = new JsonBuilder().BeginObject()
            .Prop("id", meta.Id)
            .Prop("object", "chat.completion")
            .Prop("created", meta.Created)
            .Prop("model", meta.Model)
            .BeginArray("choices").BeginObject()
            .Prop("index", 0)
            .Prop("finish_reason", finishReason)
            .PropNull("logprobs")
            .BeginObject("message")
            .Prop("role", "assistant")
            .Prop("content", Concat(reply.ContentChunks));
        if (reply.ReasoningChunks is not null)
        {
            json.Prop("reasoning_content", Concat(reply.ReasoningChunks));
        }

        if (reply.ToolCalls is { Length: > 0 } toolCalls)
        {
            json.BeginArray("tool_calls");
            foreach (ToolCallReply call in toolCalls)
            {
                json.BeginObject()
                    .Prop("id", call.Id)
                    .Prop("type", "function")
                    .Prop("index", call.Index)
                    .BeginObject("function").Prop("name", call.Name).Prop("arguments", Concat(call.ArgumentFragments)).EndObject()
                    .EndObject();
            }

            json.EndArray();
        }

        json.EndObject().EndObject().EndArray().Name("usage");
        Usage(json, usage);
        return json.PropNull("system_fingerprint").EndObject().ToString();
    }

    /// <summary>All JSON payloads of a stream, in order (without the final [DONE]).</summary>
    public static List<string> StreamChunks(ChunkMeta meta, ChatReply reply, UsageReply usage, string finishReason, bool includeUsage)
    {
        bool hasReasoning = reply.ReasoningChunks is { Length: > 0 };
        var chunks = new List<string> { RoleChunk(meta, hasReasoning) };
        foreach (string piece in reply.ReasoningChunks ?? [])
        {
            chunks.Add(ReasoningChunk(meta, piece));
        }

        foreach (string piece in reply.ContentChunks ?? [])
        {
            chunks.Add(ContentChunk(meta, piece));
        }

        foreach (ToolCallReply call in reply.ToolCalls ?? [])
        {
            chunks.Add(ToolCallStart(meta, call));
            for (int i = 0; i < call.ArgumentFragments.Length; i++)
            {
                chunks.Add(ToolCallFragment(meta, call, call.ArgumentFragments[i], compact: i > 0));
            }
        }

        chunks.Add(FinishChunk(meta, finishReason));
        if (includeUsage)
        {
            chunks.Add(UsageChunk(meta, usage));
        }

        return chunks;
    }

    /// <summary>The mid-stream error event the openai SDKs look for: a top-level "error" key.</summary>
    public static string ErrorChunk(string requestId, string code, string message)
        => new JsonBuilder().BeginObject()
            .BeginObject("error").Prop("code", code).Prop("message", message).Prop("type", "internal_error").EndObject()
            .Prop("request_id", requestId)
            .EndObject()
            .ToString();

    // {"choices":[{"delta":{"content":null,"role":"assistant","reasoning_content":""},"index":0,"logprobs":null,"finish_reason":null}],…}
    internal static string RoleChunk(ChunkMeta meta, bool hasReasoning)
    {
        var json = new JsonBuilder().BeginObject().BeginArray("choices").BeginObject().BeginObject("delta");
        if (hasReasoning)
        {
            json.PropNull("content").Prop("role", "assistant").Prop("reasoning_content", string.Empty);
        }
        else
        {
            json.Prop("content", string.Empty).Prop("role", "assistant");
        }

        json.EndObject().Prop("index", 0).PropNull("logprobs").PropNull("finish_reason").EndObject().EndArray();
        return Tail(json, meta);
    }

    internal static string ReasoningChunk(ChunkMeta meta, string piece)
    {
        var json = new JsonBuilder().BeginObject().BeginArray("choices").BeginObject()
            .BeginObject("delta").PropNull("content").Prop("reasoning_content", piece).EndObject()
            .Prop("index", 0).PropNull("logprobs").PropNull("finish_reason")
            .EndObject().EndArray();
        return Tail(json, meta);
    }

    internal static string ContentChunk(ChunkMeta meta, string piece)
    {
        var json = new JsonBuilder().BeginObject().BeginArray("choices").BeginObject()
            .BeginObject("delta").Prop("content", piece).PropNull("reasoning_content").EndObject()
            .PropNull("finish_reason").Prop("index", 0).PropNull("logprobs")
            .EndObject().EndArray();
        return Tail(json, meta);
    }

    // First fragment: id + name + "" arguments (docs/dashscope-notes.md, "Streaming"; a captured qwen3.5-flash stream).
    private static string ToolCallStart(ChunkMeta meta, ToolCallReply call)
    {
        var json = new JsonBuilder().BeginObject().BeginArray("choices").BeginObject()
            .BeginObject("delta").PropNull("content").PropNull("reasoning_content")
            .BeginArray("tool_calls").BeginObject()
            .Prop("index", call.Index).Prop("id", call.Id).Prop("type", "function")
            .BeginObject("function").Prop("name", call.Name).Prop("arguments", string.Empty).EndObject()
            .EndObject().EndArray()
            .EndObject()
            .PropNull("finish_reason").Prop("index", 0).PropNull("logprobs")
            .EndObject().EndArray();
        return Tail(json, meta);
    }

    // Later fragments carry "id":"" and no name; the compact form also omits content/finish_reason/logprobs keys,
    // as the real capture does.
    private static string ToolCallFragment(ChunkMeta meta, ToolCallReply call, string arguments, bool compact)
    {
        var json = new JsonBuilder().BeginObject().BeginArray("choices").BeginObject().BeginObject("delta");
        if (compact)
        {
            json.BeginArray("tool_calls").BeginObject()
                .BeginObject("function").Prop("arguments", arguments).EndObject()
                .Prop("index", call.Index).Prop("id", string.Empty).Prop("type", "function")
                .EndObject().EndArray()
                .EndObject()
                .Prop("index", 0);
        }
        else
        {
            json.PropNull("content").PropNull("reasoning_content")
                .BeginArray("tool_calls").BeginObject()
                .Prop("index", call.Index).Prop("id", string.Empty).Prop("type", "function")
                .BeginObject("function").Prop("arguments", arguments).EndObject()
                .EndObject().EndArray()
                .EndObject()
                .PropNull("finish_reason").Prop("index", 0).PropNull("logprobs");
        }

        json.EndObject().EndArray();
        return Tail(json, meta);
    }

    // {"choices":[{"finish_reason":"stop","delta":{"content":"","reasoning_content":null},"index":0,"logprobs":null}],…,"usage":null}
    internal static string FinishChunk(ChunkMeta meta, string finishReason)
    {
        return new JsonBuilder().BeginObject().BeginArray("choices").BeginObject()
            .Prop("finish_reason", finishReason)
            .BeginObject("delta").Prop("content", string.Empty).PropNull("reasoning_content").EndObject()
            .Prop("index", 0).PropNull("logprobs")
            .EndObject().EndArray()
            .Prop("object", "chat.completion.chunk")
            .Prop("created", meta.Created)
            .PropNull("system_fingerprint")
            .Prop("model", meta.Model)
            .Prop("id", meta.Id)
            .PropNull("usage")
            .EndObject()
            .ToString();
    }

    // {"choices":[],"object":"chat.completion.chunk","usage":{…},"created":…,"system_fingerprint":null,"model":…,"id":…}
    private static string UsageChunk(ChunkMeta meta, UsageReply usage)
    {
        var json = new JsonBuilder().BeginObject().BeginArray("choices").EndArray()
            .Prop("object", "chat.completion.chunk")
            .Name("usage");
        Usage(json, usage);
        return json.Prop("created", meta.Created)
            .PropNull("system_fingerprint")
            .Prop("model", meta.Model)
            .Prop("id", meta.Id)
            .EndObject()
            .ToString();
    }

    internal static string Tail(JsonBuilder json, ChunkMeta meta)
        => json.Prop("object", "chat.completion.chunk")
            .PropNull("usage")
            .Prop("created", meta.Created)
            .PropNull("system_fingerprint")
            .Prop("model", meta.Model)
            .Prop("id", meta.Id)
            .EndObject()
            .ToString();

    private static void Usage(JsonBuilder json, UsageReply usage)
    {
        json.BeginObject()
            .Prop("prompt_tokens", usage.PromptTokens)
            .Prop("completion_tokens", usage.CompletionTokens)
            .Prop("total_tokens", usage.TotalTokens)
            .BeginObject("prompt_tokens_details").Prop("cached_tokens", usage.CachedTokens);
        if (usage.CacheType == "ephemeral")
        {
            // Explicit cache (docs/dashscope-notes.md, "Context cache"): the creation count, flat and nested.
            json.Prop("cache_creation_input_tokens", usage.CacheCreationTokens)
                .BeginObject("cache_creation").Prop("ephemeral_5m_input_tokens", usage.CacheCreationTokens).EndObject();
        }

        if (usage.CacheType is not null)
        {
            json.Prop("cache_type", usage.CacheType);
        }

        json.EndObject()
            .BeginObject("completion_tokens_details").Prop("reasoning_tokens", usage.ReasoningTokens).EndObject()
            .EndObject();
    }

    private static string Concat(string[]? pieces) => pieces is null ? string.Empty : string.Concat(pieces);
}
