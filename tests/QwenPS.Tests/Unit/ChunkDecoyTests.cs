using System.Linq;
using System.Text;
using Xunit;
using QwenPS.Chat.Wire;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// Every place the stream-chunk decoder passes over a value it does not read: an unknown key, or a container
    /// where it expects something else. Each decoy holds keys that look like the real fields, so a decoder that
    /// stepped into it instead of over it would read them, or lose the fields after it. Each case must decode exactly
    /// like the same chunk without the decoy. (Stryker's run showed every one of these skips unpinned.)
    /// </summary>
    public class ChunkDecoyTests
    {
        private const string Decoy = "{\"content\":\"decoy\",\"id\":\"decoy\",\"total_tokens\":99,\"data\":\"decoy\",\"name\":\"decoy\",\"message\":\"decoy\",\"cached_tokens\":99,\"ephemeral_5m_input_tokens\":99}";

        private const string DecoyList = "[" + Decoy + ",[" + Decoy + "]]";

        public static TheoryData<string, string> Chunks => new TheoryData<string, string>
        {
            // A delta that is not an object, then the choice's finish reason.
            { "{\"choices\":[{\"delta\":" + DecoyList + ",\"finish_reason\":\"stop\"}]}", "{\"choices\":[{\"finish_reason\":\"stop\"}]}" },
            // An unknown key in the delta.
            { "{\"choices\":[{\"delta\":{\"x\":" + Decoy + ",\"content\":\"right\"}}]}", "{\"choices\":[{\"delta\":{\"content\":\"right\"}}]}" },
            // Audio that is not an object, and an unknown key inside audio.
            { "{\"choices\":[{\"delta\":{\"audio\":" + DecoyList + ",\"content\":\"right\"}}]}", "{\"choices\":[{\"delta\":{\"content\":\"right\"}}]}" },
            { "{\"choices\":[{\"delta\":{\"audio\":{\"x\":" + Decoy + ",\"data\":\"AAAA\",\"transcript\":\"hi\"}}}]}", "{\"choices\":[{\"delta\":{\"audio\":{\"data\":\"AAAA\",\"transcript\":\"hi\"}}}]}" },
            // Tool calls that are not a list, a call that is not an object, a function that is not an object.
            { "{\"choices\":[{\"delta\":{\"tool_calls\":" + Decoy + ",\"content\":\"right\"}}]}", "{\"choices\":[{\"delta\":{\"content\":\"right\"}}]}" },
            { "{\"choices\":[{\"delta\":{\"tool_calls\":[" + DecoyList + ",{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}", "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}" },
            { "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":" + DecoyList + ",\"id\":\"call_1\"}]}}]}", "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\"}]}}]}" },
            // A finish reason that is a container.
            { "{\"choices\":[{\"finish_reason\":" + Decoy + ",\"delta\":{\"content\":\"right\"}}]}", "{\"choices\":[{\"delta\":{\"content\":\"right\"}}]}" },
            // Usage that is not an object; an unknown key in usage; a count that is a container.
            { "{\"usage\":" + DecoyList + ",\"id\":\"chatcmpl-1\"}", "{\"id\":\"chatcmpl-1\"}" },
            { "{\"usage\":{\"x\":" + Decoy + ",\"total_tokens\":3}}", "{\"usage\":{\"total_tokens\":3}}" },
            { "{\"usage\":{\"prompt_tokens\":" + Decoy + ",\"total_tokens\":3}}", "{\"usage\":{\"prompt_tokens\":0,\"total_tokens\":3}}" },
            // Token details that are not an object; cache_creation that is not an object, or has an unknown key.
            { "{\"usage\":{\"prompt_tokens_details\":" + DecoyList + ",\"total_tokens\":3}}", "{\"usage\":{\"total_tokens\":3}}" },
            { "{\"usage\":{\"prompt_tokens_details\":{\"cache_creation\":" + DecoyList + ",\"cached_tokens\":2},\"total_tokens\":3}}", "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":2},\"total_tokens\":3}}" },
            { "{\"usage\":{\"prompt_tokens_details\":{\"cache_creation\":{\"x\":" + Decoy + ",\"ephemeral_5m_input_tokens\":4},\"cached_tokens\":2},\"total_tokens\":3}}", "{\"usage\":{\"prompt_tokens_details\":{\"cache_creation\":{\"ephemeral_5m_input_tokens\":4},\"cached_tokens\":2},\"total_tokens\":3}}" },
            // An error that is a list, an unknown key in an error, an error code that is a container.
            { "{\"error\":" + DecoyList + ",\"id\":\"chatcmpl-1\"}", "{\"error\":{},\"id\":\"chatcmpl-1\"}" },
            { "{\"error\":{\"x\":" + Decoy + ",\"message\":\"real\"}}", "{\"error\":{\"message\":\"real\"}}" },
            { "{\"error\":{\"code\":" + Decoy + ",\"message\":\"real\"}}", "{\"error\":{\"message\":\"real\"}}" },
            // A header string that is a container.
            { "{\"id\":" + Decoy + ",\"model\":\"qwen-plus\"}", "{\"model\":\"qwen-plus\"}" },
        };

        [Theory]
        [MemberData(nameof(Chunks))]
        public void A_value_the_decoder_passes_over_is_skipped_whole(string withDecoy, string without)
        {
            Assert.Equal(Describe(without), Describe(withDecoy));
        }

        private static string Describe(string json)
        {
            var chunk = new ChatChunk();
            ChatChunkDecoder.Decode(Encoding.UTF8.GetBytes(json), chunk, readHeader: true);
            string tools = string.Join(",", chunk.ToolCalls.Select(t => t.Index + ":" + t.Id + ":" + t.Name + ":" + t.Arguments));
            string modalities = string.Join(",", chunk.ModalityTokens.Select(n => n?.ToString() ?? "-"));
            string error = chunk.Error is null ? "none" : chunk.Error.Code + "/" + chunk.Error.Message + "/" + chunk.Error.Type;
            return "id=" + chunk.Id + ";model=" + chunk.Model + ";content=" + chunk.Content + ";reasoning=" + chunk.Reasoning +
                ";audio=" + chunk.AudioData + "/" + chunk.AudioTranscript + ";finish=" + chunk.FinishReason +
                ";usage=" + chunk.HasUsage + "/" + chunk.PromptTokens + "/" + chunk.CompletionTokens + "/" + chunk.TotalTokens +
                ";cached=" + chunk.CachedTokens + ";reasoningTokens=" + chunk.ReasoningTokens + ";cacheCreation=" + chunk.CacheCreationTokens +
                ";cacheType=" + chunk.CacheType + ";modalities=" + modalities + ";tools=" + tools + ";error=" + error + ";requestId=" + chunk.RequestId;
        }
    }
}
