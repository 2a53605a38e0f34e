using System.Collections.Generic;
using System.Text;
using QwenPS.Chat;
using Xunit;

namespace QwenPS.Tests.TextGeneration
{
    /// <summary>The context-cache fields of the usage chunk (docs/dashscope-notes.md, "Context cache").</summary>
    public sealed class CacheUsageDecodingTests
    {
        private static QwenUsage Decode(string promptDetails)
        {
            var records = new List<object>();
            using var aggregator = new ChatStreamAggregator();
            aggregator.Process(Encoding.UTF8.GetBytes("{\"choices\":[{\"delta\":{\"content\":\"ok\"},\"index\":0,\"finish_reason\":\"stop\"}]}"), records.Add);
            aggregator.Process(Encoding.UTF8.GetBytes(
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":1620,\"completion_tokens\":2,\"total_tokens\":1622,\"prompt_tokens_details\":" + promptDetails
                + ",\"completion_tokens_details\":{\"reasoning_tokens\":0}}}"), records.Add);
            return Assert.IsType<QwenUsage>(records[^1]);
        }

        [Fact]
        public void An_explicit_cache_hit_reports_the_type_and_the_creation_count()
        {
            QwenUsage usage = Decode("{\"cached_tokens\":1605,\"cache_creation_input_tokens\":0,\"cache_type\":\"ephemeral\",\"text_tokens\":1620}");
            Assert.Equal((1605, 0, "ephemeral"), (usage.CachedTokens, usage.CacheCreationTokens, usage.CacheType));
            Assert.Equal(0, usage.ReasoningTokens);
        }

        [Fact]
        public void The_nested_creation_count_is_read_and_what_follows_it_too()
        {
            // The nested object comes before cache_type: reading past it must not lose the fields after it.
            QwenUsage usage = Decode("{\"cached_tokens\":0,\"cache_creation_input_tokens\":1100,\"cache_creation\":{\"ephemeral_5m_input_tokens\":1100},\"cache_type\":\"ephemeral\"}");
            Assert.Equal((0, 1100, "ephemeral"), (usage.CachedTokens, usage.CacheCreationTokens, usage.CacheType));
            Assert.Equal(0, usage.ReasoningTokens);

            usage = Decode("{\"cache_creation\":{\"ephemeral_5m_input_tokens\":512},\"cached_tokens\":7}");
            Assert.Equal((7, 512, (string?)null), (usage.CachedTokens, usage.CacheCreationTokens, usage.CacheType));
        }

        [Fact]
        public void An_implicit_hit_and_no_cache_at_all()
        {
            QwenUsage usage = Decode("{\"cached_tokens\":256,\"cache_type\":\"implicit\"}");
            Assert.Equal((256, (int?)null, "implicit"), (usage.CachedTokens, usage.CacheCreationTokens, usage.CacheType));

            usage = Decode("{\"cached_tokens\":0}");
            Assert.Equal((0, (int?)null, (string?)null), (usage.CachedTokens, usage.CacheCreationTokens, usage.CacheType));
        }
    }
}
