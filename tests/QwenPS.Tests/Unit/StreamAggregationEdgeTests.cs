using System.Collections.Generic;
using System.Text;
using Xunit;
using QwenPS.Chat;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// How a stream is put together where the samples say little (docs/dashscope-notes.md, "Streaming"; docs/reliability.md,
    /// -MaxResponseSize): the exact cap, tool-call fragments that disagree, the spoken answer's transcript, the header.
    /// </summary>
    public class StreamAggregationEdgeTests
    {
        private static readonly QwenMessage[] Sent = { new QwenMessage(QwenRole.User, "q") };

        private static bool Feed(ChatStreamAggregator aggregator, string json, List<object>? records = null) =>
            aggregator.Process(Encoding.UTF8.GetBytes(json), records == null ? null : records.Add);

        private static string Content(string text) => "{\"choices\":[{\"delta\":{\"content\":\"" + text + "\"}}]}";

        [Fact]
        public void An_answer_of_exactly_the_cap_is_kept_and_one_character_more_is_refused()
        {
            var aggregator = new ChatStreamAggregator { MaxChars = 6 };
            Feed(aggregator, "{\"choices\":[{\"delta\":{\"reasoning_content\":\"ab\"}}]}");
            Feed(aggregator, Content("cdef"));
            Assert.Equal(6, aggregator.TextLength);

            var error = Assert.Throws<ResponseTooLargeException>(() => Feed(aggregator, Content("g")));
            Assert.Equal(6, error.MaxChars);
            QwenChatResponse kept = aggregator.Build(Sent, null, incomplete: true);
            Assert.Equal("cdef", kept.Content);
            Assert.Equal("ab", kept.Reasoning);
        }

        [Fact]
        public void Tool_call_arguments_count_toward_the_cap_but_not_toward_the_text_length()
        {
            var aggregator = new ChatStreamAggregator { MaxChars = 10 };
            Feed(aggregator, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"12345678\"}}]}}]}");
            Assert.Equal(0, aggregator.TextLength);
            Feed(aggregator, Content("ab"));
            Assert.Throws<ResponseTooLargeException>(() => Feed(aggregator, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"9\"}}]}}]}"));
            Assert.Equal("12345678", aggregator.Build(Sent, null, true).ToolCalls[0].Arguments);
        }

        [Fact]
        public void The_first_id_and_name_of_a_call_win_and_calls_come_out_in_index_order()
        {
            var aggregator = new ChatStreamAggregator();
            Feed(aggregator, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":5,\"id\":\"call_5\",\"function\":{\"name\":\"later\",\"arguments\":\"{\"}}]}}]}");
            Feed(aggregator, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":5,\"id\":\"call_other\",\"function\":{\"name\":\"other\",\"arguments\":\"}\"}},{\"index\":1,\"function\":{\"arguments\":null}}]}}]}");
            IReadOnlyList<QwenToolCall> calls = aggregator.Build(Sent, null, false).ToolCalls;

            Assert.Equal(2, calls.Count);
            Assert.Equal(1, calls[0].Index);
            Assert.Null(calls[0].Id);
            Assert.Equal(string.Empty, calls[0].Name);
            Assert.Equal(string.Empty, calls[0].Arguments);
            Assert.Equal(5, calls[1].Index);
            Assert.Equal("call_5", calls[1].Id);
            Assert.Equal("later", calls[1].Name);
            Assert.Equal("{}", calls[1].Arguments);
        }

        [Fact]
        public void A_call_fragment_without_an_index_is_call_zero()
        {
            var aggregator = new ChatStreamAggregator();
            Feed(aggregator, "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":\"x\",\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"1\"}},\"junk\",{\"function\":\"odd\"},{\"function\":{\"arguments\":\"2\"}}]}}]}");
            QwenToolCall call = Assert.Single(aggregator.Build(Sent, null, false).ToolCalls);
            Assert.Equal(0, call.Index);
            Assert.Equal("12", call.Arguments);
        }

        [Fact]
        public void A_transcript_is_the_answer_only_while_no_content_came()
        {
            var records = new List<object>();
            var aggregator = new ChatStreamAggregator();
            Feed(aggregator, "{\"choices\":[{\"delta\":{\"audio\":{\"transcript\":\"spoken \"}}}]}", records);
            Assert.Equal("spoken ", Assert.IsType<QwenContentChunk>(Assert.Single(records)).Text);
            Assert.Equal("spoken ", aggregator.Build(Sent, null, false).Content);

            Feed(aggregator, "{\"choices\":[{\"delta\":{\"content\":\"written\",\"audio\":{\"transcript\":\"words\"}}}]}", records);
            Assert.Equal(2, records.Count);
            Assert.Equal("written", ((QwenContentChunk)records[1]).Text);
            Assert.Equal("written", aggregator.Build(Sent, null, false).Content);
        }

        [Fact]
        public void Audio_pieces_are_ignored_when_no_spoken_answer_was_asked_for()
        {
            var records = new List<object>();
            var aggregator = new ChatStreamAggregator();
            Feed(aggregator, "{\"choices\":[{\"delta\":{\"audio\":{\"data\":\"AAAA\",\"id\":\"a1\"}}}]}", records);
            Assert.Empty(records);
            QwenChatResponse response = aggregator.Build(Sent, null, false);
            Assert.Null(response.AudioPath);
        }

        [Fact]
        public void A_header_with_only_an_id_is_the_header_and_later_chunks_do_not_change_it()
        {
            var aggregator = new ChatStreamAggregator();
            Feed(aggregator, "{\"id\":\"chatcmpl-1\",\"choices\":[]}");
            Feed(aggregator, "{\"id\":\"chatcmpl-2\",\"model\":\"m2\",\"choices\":[]}");
            Assert.Equal("chatcmpl-1", aggregator.Id);
            Assert.Null(aggregator.Model);

            var byModel = new ChatStreamAggregator();
            Feed(byModel, "{\"model\":\"m1\",\"choices\":[]}");
            Feed(byModel, "{\"id\":\"chatcmpl-2\",\"model\":\"m2\",\"choices\":[]}");
            Assert.Equal("m1", byModel.Model);
            Assert.Null(byModel.Id);
        }

        [Fact]
        public void The_usage_is_priced_before_it_is_handed_out_and_carries_every_count()
        {
            var records = new List<object>();
            var aggregator = new ChatStreamAggregator();
            bool pricedFirst = false;
            aggregator.PriceUsage = usage => pricedFirst = records.Count == 0 && usage.TotalTokens == 30;
            Feed(
                aggregator,
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20,\"total_tokens\":30," +
                "\"prompt_tokens_details\":{\"text_tokens\":1,\"image_tokens\":2,\"audio_tokens\":3,\"video_tokens\":4,\"cached_tokens\":5,\"cache_type\":\"ephemeral\",\"cache_creation_input_tokens\":6}," +
                "\"completion_tokens_details\":{\"text_tokens\":7,\"audio_tokens\":8,\"reasoning_tokens\":9}}}",
                records);

            Assert.True(pricedFirst);
            QwenUsage usage = Assert.IsType<QwenUsage>(Assert.Single(records));
            Assert.Equal((10, 20, 30), (usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens));
            Assert.Equal((1, 2, 3, 4), (usage.PromptTextTokens, usage.PromptImageTokens, usage.PromptAudioTokens, usage.PromptVideoTokens));
            Assert.Equal((7, 8), (usage.CompletionTextTokens, usage.CompletionAudioTokens));
            Assert.Equal((5, 9, 6), (usage.CachedTokens, usage.ReasoningTokens, usage.CacheCreationTokens));
            Assert.Equal("ephemeral", usage.CacheType);
            Assert.Same(usage, aggregator.Usage);
        }
    }
}
