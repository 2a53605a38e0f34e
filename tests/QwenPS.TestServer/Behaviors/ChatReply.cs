using System;
using System.Collections.Generic;

namespace QwenPS.TestServer;

/// <summary>
/// The texts of one chat reply. A null chunk array means "none" (a ChatReply describes the whole reply);
/// use <see cref="FromText"/> to split whole strings the way the default reply does.
/// </summary>
public sealed record ChatReply
{
    /// <summary>reasoning_content pieces, streamed one per chunk before the answer. Null = no reasoning.</summary>
    public string[]? ReasoningChunks { get; init; }

    /// <summary>content pieces, one per chunk. Null = no answer text (non-stream content is then "").</summary>
    public string[]? ContentChunks { get; init; }

    /// <summary>Null = "tool_calls" when <see cref="ToolCalls"/> is non-empty, otherwise "stop".</summary>
    public string? FinishReason { get; init; }

    public ToolCallReply[]? ToolCalls { get; init; }

    /// <summary>Null = computed (prompt = characters of all message contents, completion = characters produced).</summary>
    public UsageReply? Usage { get; init; }

    /// <summary>Model name to report; null = echo the request's model.</summary>
    public string? Model { get; init; }

    /// <summary>Delay before each streamed data event.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Builds a reply from whole strings, split into <paramref name="chunkSize"/>-char pieces (never splitting a surrogate pair).</summary>
    public static ChatReply FromText(string? content, string? reasoning = null, int chunkSize = 4) => new()
    {
        ContentChunks = content is null ? null : Split(content, chunkSize),
        ReasoningChunks = reasoning is null ? null : Split(reasoning, chunkSize),
    };

    /// <summary>Splits text into pieces of <paramref name="chunkSize"/> UTF-16 chars; a piece never ends between
    /// the two halves of a surrogate pair (such a piece is one char shorter). Empty text gives no pieces.</summary>
    public static string[] Split(string text, int chunkSize = 4)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (chunkSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), "chunkSize must be at least 2.");
        }

        var pieces = new List<string>((text.Length / chunkSize) + 1);
        int start = 0;
        while (start < text.Length)
        {
            int end = Math.Min(start + chunkSize, text.Length);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]) && char.IsLowSurrogate(text[end]))
            {
                end--;
            }

            pieces.Add(text.Substring(start, end - start));
            start = end;
        }

        return pieces.ToArray();
    }
}

/// <summary>One tool call. Streamed as a first fragment carrying id, name and "" arguments, then one fragment
/// per <paramref name="ArgumentFragments"/> entry with "id":"". Non-stream: the fragments are concatenated.</summary>
public sealed record ToolCallReply(int Index, string Id, string Name, string[] ArgumentFragments);

/// <summary>Explicit usage numbers for a reply.</summary>
public sealed record UsageReply(int PromptTokens, int CompletionTokens, int TotalTokens, int CachedTokens = 0, int ReasoningTokens = 0)
{
    /// <summary>prompt_tokens_details.cache_creation_input_tokens (and cache_creation.ephemeral_5m_input_tokens);
    /// sent only when <see cref="CacheType"/> is "ephemeral".</summary>
    public int CacheCreationTokens { get; init; }

    /// <summary>prompt_tokens_details.cache_type: null = left out, "ephemeral" (explicit cache) or "implicit".</summary>
    public string? CacheType { get; init; }
}
