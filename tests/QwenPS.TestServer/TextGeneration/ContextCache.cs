using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace QwenPS.TestServer.TextGeneration;

/// <summary>
/// The explicit context cache (docs/dashscope-notes.md, "Context cache"), one character per token: only the last four markers of a
/// request count; a marker's block is every text from the start of the messages to the marked part. A block
/// already cached is a hit (cached_tokens = its length); the last marker's block, when it has at least
/// <see cref="MinimumTokens"/> characters and is new, is created (cache_creation_input_tokens = the part
/// not covered by the hit). Kept per server; cleared by Reset.
/// </summary>
public sealed class ContextCache
{
    /// <summary>The explicit cache's minimum block size (docs/dashscope-notes.md, "Context cache").</summary>
    public const int MinimumTokens = 1024;

    /// <summary>Only the last four markers of a request count (docs/dashscope-notes.md, "Context cache").</summary>
    public const int MaxMarkers = 4;

    private readonly ConcurrentDictionary<string, int> _blocks = new(StringComparer.Ordinal);

    /// <summary>Number of blocks cached so far.</summary>
    public int Count => _blocks.Count;

    public void Clear() => _blocks.Clear();

    /// <summary>Marks <paramref name="block"/> as cached, as if an earlier request had created it.</summary>
    public void Seed(string block) => _blocks[block] = block.Length;

    /// <summary>The usage with the cache fields filled in, or <paramref name="usage"/> unchanged without markers.</summary>
    internal UsageReply Apply(TextGenerationRequest? request, UsageReply usage)
    {
        if (request is not { CacheMarkers: { Count: > 0 } markers })
        {
            return usage;
        }

        CacheMarker[] counted = markers.Skip(Math.Max(0, markers.Count - MaxMarkers)).ToArray();
        int hit = counted.Where(m => _blocks.ContainsKey(m.Block)).Select(m => m.Block.Length).DefaultIfEmpty(0).Max();
        string last = counted[^1].Block;
        int created = 0;
        if (last.Length >= MinimumTokens && _blocks.TryAdd(last, last.Length))
        {
            created = last.Length - hit;
        }

        return usage with { CachedTokens = hit, CacheCreationTokens = created, CacheType = "ephemeral" };
    }
}
