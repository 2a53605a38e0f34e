using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;
using QwenPS.Chat;
using QwenPS.Streaming;

namespace QwenPS.Tests.Unit
{
    public class ChatStreamAggregatorTests
    {
        private static readonly QwenMessage[] Sent = { new QwenMessage(QwenRole.User, "你是谁?") };

        private static (List<object> Records, ChatStreamAggregator Aggregator) Run(params string[] payloads)
        {
            var records = new List<object>();
            var aggregator = new ChatStreamAggregator();
            foreach (string payload in payloads)
            {
                if (!aggregator.Process(Encoding.UTF8.GetBytes(payload), records.Add))
                {
                    break;
                }
            }

            return (records, aggregator);
        }

        // The documented sequence for a thinking request with include_usage (docs/dashscope-notes.md, "Streaming").
        private static readonly string[] ThinkingStream =
        {
            "{\"choices\":[{\"delta\":{\"content\":null,\"role\":\"assistant\",\"reasoning_content\":\"\"},\"index\":0,\"logprobs\":null,\"finish_reason\":null}],\"object\":\"chat.completion.chunk\",\"usage\":null,\"created\":1760000000,\"system_fingerprint\":null,\"model\":\"qwq-32b\",\"id\":\"chatcmpl-abc-123\"}",
            "{\"choices\":[{\"delta\":{\"content\":null,\"reasoning_content\":\"嗯，用户\"},\"index\":0,\"logprobs\":null,\"finish_reason\":null}],\"object\":\"chat.completion.chunk\",\"usage\":null,\"model\":\"qwq-32b\",\"id\":\"chatcmpl-abc-123\"}",
            "{\"id\":\"chatcmpl-abc-123\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"问我是谁。\",\"content\":null},\"finish_reason\":null}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"我是通义\",\"reasoning_content\":null},\"index\":0,\"logprobs\":null,\"finish_reason\":null}],\"object\":\"chat.completion.chunk\"}",
            "{\"choices\":[{\"delta\":{\"content\":\"千问。\",\"reasoning_content\":null},\"index\":0,\"finish_reason\":null}]}",
            "{\"choices\":[{\"finish_reason\":\"stop\",\"delta\":{\"content\":\"\",\"reasoning_content\":null},\"index\":0,\"logprobs\":null}],\"usage\":null}",
            "{\"choices\":[],\"object\":\"chat.completion.chunk\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":360,\"total_tokens\":370,\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":300}},\"model\":\"qwq-32b\"}",
            "[DONE]",
        };

        [Fact]
        public void Reasoning_then_content_then_usage_records_in_arrival_order()
        {
            var (records, aggregator) = Run(ThinkingStream);

            Assert.Collection(
                records,
                r => Assert.Equal("嗯，用户", Assert.IsType<QwenReasoningChunk>(r).Text),
                r => Assert.Equal("问我是谁。", Assert.IsType<QwenReasoningChunk>(r).Text),
                r => Assert.Equal("我是通义", Assert.IsType<QwenContentChunk>(r).Text),
                r => Assert.Equal("千问。", Assert.IsType<QwenContentChunk>(r).Text),
                r => Assert.Equal(370, Assert.IsType<QwenUsage>(r).TotalTokens));
            Assert.True(aggregator.SawDone);
            Assert.Equal(QwenChunkKind.Reasoning, ((QwenStreamChunk)records[0]).KindValue);
            Assert.Equal(QwenChunkKind.Content, ((QwenStreamChunk)records[2]).KindValue);
        }

        [Fact]
        public void Long_text_grows_the_pooled_buffers_and_built_responses_outlive_Dispose()
        {
            var expected = new StringBuilder();
            var aggregator = new ChatStreamAggregator();
            for (int i = 0; i < 3000; i++)
            {
                string piece = i % 3 == 0 ? "思考" : " token" + i;
                expected.Append(piece);
                aggregator.Process(Encoding.UTF8.GetBytes("{\"choices\":[{\"delta\":{\"content\":" + JsonSerializer.Serialize(piece) + "}}]}"), null);
            }

            QwenChatResponse first = aggregator.Build(Sent, null, incomplete: true);
            aggregator.Process(Encoding.UTF8.GetBytes("{\"choices\":[{\"delta\":{\"content\":\"!\"}}]}"), null);
            QwenChatResponse second = aggregator.Build(Sent, null, incomplete: false);
            Assert.Equal(expected.Length + 1, aggregator.TextLength);
            aggregator.Dispose();

            Assert.Equal(expected.ToString(), first.Content);
            Assert.Equal(expected + "!", second.Content);
        }

        [Fact]
        public void The_aggregated_response_joins_text_and_keeps_only_the_answer_in_history()
        {
            var (_, aggregator) = Run(ThinkingStream);
            QwenChatResponse response = aggregator.Build(Sent, requestId: null, incomplete: false);

            Assert.Equal("我是通义千问。", response.Content);
            Assert.Equal("嗯，用户问我是谁。", response.Reasoning);
            Assert.Equal("stop", response.FinishReason);
            Assert.Equal("qwq-32b", response.Model);
            Assert.Equal("chatcmpl-abc-123", response.Id);
            Assert.Equal("abc-123", response.RequestId);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1760000000), response.Created);
            Assert.Equal(10, response.Usage!.PromptTokens);
            Assert.Equal(360, response.Usage.CompletionTokens);
            Assert.Equal(4, response.Usage.CachedTokens);
            Assert.Equal(300, response.Usage.ReasoningTokens);
            Assert.False(response.Incomplete);
            Assert.Equal(2, response.History.Count);
            Assert.Same(Sent[0], response.History[0]);
            Assert.Equal(QwenRole.Assistant, response.Message.RoleValue);
            Assert.Equal("我是通义千问。", response.Message.Content);
            Assert.Same(response.Message, response.History[1]);
            Assert.Equal("我是通义千问。", response.ToString());
        }

        [Fact]
        public void Done_stops_processing_and_later_payloads_are_ignored()
        {
            var (records, aggregator) = Run("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}", "[DONE]", "{\"choices\":[{\"delta\":{\"content\":\"b\"}}]}");
            Assert.Single(records);
            Assert.True(aggregator.SawDone);
            Assert.Equal(1, aggregator.ChunkCount);
        }

        [Fact]
        public void Null_empty_and_missing_deltas_produce_no_records()
        {
            var (records, aggregator) = Run(
                "{\"choices\":[{\"delta\":null}]}",
                "{\"choices\":[{\"delta\":{}}]}",
                "{\"choices\":[{\"delta\":{\"content\":\"\",\"reasoning_content\":\"\"}}]}",
                "{\"choices\":null}",
                "{\"choices\":[{\"index\":0}]}",
                "{}");
            Assert.Empty(records);
            Assert.Equal(6, aggregator.ChunkCount);
            Assert.Equal(string.Empty, aggregator.Build(Sent, null, false).Content);
            Assert.Null(aggregator.Build(Sent, null, false).Reasoning);
        }

        [Fact]
        public void Unknown_fields_of_any_shape_are_skipped()
        {
            var (records, _) = Run("{\"future\":{\"deep\":[1,{\"x\":[true,null]}]},\"choices\":[{\"delta\":{\"audio\":{\"data\":\"AAA=\"},\"content\":\"ok\",\"extra\":[1,2]},\"logprobs\":{\"content\":[]}}],\"service_tier\":null}");
            Assert.Equal("ok", Assert.IsType<QwenContentChunk>(Assert.Single(records)).Text);
        }

        [Fact]
        public void Escaped_text_is_decoded()
        {
            var (records, _) = Run("{\"choices\":[{\"delta\":{\"content\":\"line\\n\\\"quoted\\\" \\u4f60\\ud83d\\ude00\"}}]}");
            Assert.Equal("line\n\"quoted\" 你😀", ((QwenContentChunk)records[0]).Text);
        }

        [Fact]
        public void Tool_call_fragments_join_by_index_and_empty_ids_continue_the_same_call()
        {
            // The real qwen3.5-flash capture shape (docs/dashscope-notes.md, "Streaming").
            var (_, aggregator) = Run(
                "{\"choices\":[{\"delta\":{\"content\":null,\"reasoning_content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_b24c\",\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]}",
                "{\"choices\":[{\"delta\":{\"content\":null,\"reasoning_content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"arguments\":\"{\\\"location\\\": \\\"杭州市\"}}]}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"\\\"}\"},\"index\":0,\"id\":\"\",\"type\":\"function\"}]},\"index\":0}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"function\":{\"name\":\"second\",\"arguments\":\"{}\"}}]}}]}",
                "{\"choices\":[{\"finish_reason\":\"tool_calls\",\"delta\":{\"content\":\"\",\"reasoning_content\":null},\"index\":0,\"logprobs\":null}]}",
                "[DONE]");
            QwenChatResponse response = aggregator.Build(Sent, null, false);

            Assert.Equal("tool_calls", response.FinishReason);
            Assert.Equal(2, response.ToolCalls.Count);
            Assert.Equal("call_b24c", response.ToolCalls[0].Id);
            Assert.Equal("get_current_weather", response.ToolCalls[0].Name);
            Assert.Equal("{\"location\": \"杭州市\"}", response.ToolCalls[0].Arguments);
            Assert.Equal("call_2", response.ToolCalls[1].Id);
            Assert.Same(response.ToolCalls, response.Message.ToolCalls);
        }

        [Fact]
        public void An_error_object_in_a_chunk_raises_with_code_message_and_request_id()
        {
            var aggregator = new ChatStreamAggregator();
            aggregator.Process(Encoding.UTF8.GetBytes("{\"choices\":[{\"delta\":{\"content\":\"partial\"}}]}"), null);
            var error = Assert.Throws<StreamErrorException>(() =>
                aggregator.Process(Encoding.UTF8.GetBytes("{\"request_id\":\"req-9\",\"error\":{\"code\":\"InternalError\",\"message\":\"boom\",\"type\":\"internal_error\"}}"), null));
            Assert.Equal("InternalError", error.Error.Code);
            Assert.Equal("boom", error.Error.Message);
            Assert.Equal("req-9", error.Error.RequestId);
            Assert.Equal("partial", aggregator.Build(Sent, null, true).Content);
        }

        [Theory]
        [InlineData("{\"choices\":[{\"delta\":{\"content\":")]
        [InlineData("not json")]
        [InlineData("[1,2]")]
        [InlineData("\"text\"")]
        public void Invalid_json_raises_json_exception(string payload)
        {
            var aggregator = new ChatStreamAggregator();
            Assert.ThrowsAny<JsonException>(() => aggregator.Process(Encoding.UTF8.GetBytes(payload), null));
        }

        [Fact]
        public void Only_the_first_choice_is_read()
        {
            var (records, _) = Run("{\"choices\":[{\"delta\":{\"content\":\"first\"}},{\"delta\":{\"content\":\"second\"}}]}");
            Assert.Equal("first", ((QwenContentChunk)Assert.Single(records)).Text);
        }

        [Fact]
        public void Incomplete_builds_are_marked()
        {
            var (_, aggregator) = Run("{\"choices\":[{\"delta\":{\"content\":\"half\"}}]}");
            QwenChatResponse partial = aggregator.Build(Sent, "req", incomplete: true);
            Assert.True(partial.Incomplete);
            Assert.Null(partial.FinishReason);
            Assert.Equal("req", partial.RequestId);
            Assert.Equal("half", partial.Content);
        }
    }
}
