using System.Text;
using System.Text.Json;
using Xunit;
using QwenPS.Chat.Wire;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// The stream-chunk decoder on shapes a gateway or a newer model may send (docs/dashscope-notes.md, "Streaming" and
    /// "Usage"): values of the wrong type, a first choice that is not an object, detail fields in the wrong object.
    /// </summary>
    public class ChunkDecodingEdgeTests
    {
        private static ChatChunk Decode(string json, bool readHeader = true)
        {
            var chunk = new ChatChunk();
            ChatChunkDecoder.Decode(Encoding.UTF8.GetBytes(json), chunk, readHeader);
            return chunk;
        }

        [Fact]
        public void Keys_the_decoder_does_not_know_inside_a_tool_calls_function_are_skipped_with_their_values()
        {
            // Found by the sampled mutation run: without the skip, the value of an unknown key was read as the next key,
            // and the name and arguments after it were lost.
            ChatChunk chunk = Decode("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"hint\":{\"deep\":[1,2]},\"extra\":\"x\",\"name\":\"get_weather\",\"arguments\":\"{}\"}}]}}]}");

            ToolCallFragment fragment = Assert.Single(chunk.ToolCalls);
            Assert.Equal("call_1", fragment.Id);
            Assert.Equal("get_weather", fragment.Name);
            Assert.Equal("{}", fragment.Arguments);
        }

        [Fact]
        public void A_text_field_holding_an_object_is_skipped_whole_and_the_fields_after_it_are_still_read()
        {
            // Found by the sampled mutation run: ReadText must skip a container it refuses, or the decoder reads on inside it.
            ChatChunk chunk = Decode("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":{\"wrong\":{\"shape\":1}},\"function\":{\"name\":{\"also\":\"wrong\"},\"arguments\":\"{\\\"city\\\":1}\"}}]}}]}");

            ToolCallFragment fragment = Assert.Single(chunk.ToolCalls);
            Assert.Null(fragment.Id);
            Assert.Null(fragment.Name);
            Assert.Equal("{\"city\":1}", fragment.Arguments);
        }

        [Fact]
        public void A_first_choice_that_is_not_an_object_is_passed_over_for_the_next()
        {
            ChatChunk chunk = Decode("{\"choices\":[null,7,{\"delta\":{\"content\":\"second\"},\"finish_reason\":\"stop\"},{\"delta\":{\"content\":\"third\"}}]}");
            Assert.Equal("second", chunk.Content);
            Assert.Equal("stop", chunk.FinishReason);
        }

        [Theory]
        [InlineData("{\"choices\":{\"delta\":{\"content\":\"x\"}}}")]
        [InlineData("{\"choices\":[{\"delta\":\"x\"}]}")]
        [InlineData("{\"choices\":[{\"delta\":{\"content\":5,\"reasoning_content\":[\"x\"],\"audio\":\"x\",\"tool_calls\":{\"x\":1}}}]}")]
        public void Values_of_the_wrong_shape_are_skipped_and_what_follows_is_still_read(string choices)
        {
            string json = choices.Substring(0, choices.Length - 1) + ",\"id\":\"chatcmpl-after\",\"usage\":{\"total_tokens\":3}}";
            ChatChunk chunk = Decode(json);
            Assert.Null(chunk.Content);
            Assert.Null(chunk.Reasoning);
            Assert.Empty(chunk.ToolCalls);
            Assert.Null(chunk.AudioData);
            Assert.Equal("chatcmpl-after", chunk.Id);
            Assert.Equal(3, chunk.TotalTokens);
        }

        [Fact]
        public void Header_fields_are_read_only_when_asked_for_and_never_from_the_wrong_type()
        {
            ChatChunk skipped = Decode("{\"id\":\"chatcmpl-1\",\"model\":\"m\",\"created\":1,\"choices\":[{\"delta\":{\"content\":\"c\"}}]}", readHeader: false);
            Assert.Null(skipped.Id);
            Assert.Null(skipped.Model);
            Assert.Null(skipped.Created);
            Assert.Equal("c", skipped.Content);

            ChatChunk odd = Decode("{\"id\":5,\"model\":{\"name\":\"m\"},\"created\":1.5,\"request_id\":[\"r\"]}");
            Assert.Null(odd.Id);
            Assert.Null(odd.Model);
            Assert.Null(odd.Created);
            Assert.Null(odd.RequestId);
        }

        [Fact]
        public void Usage_that_is_not_an_object_is_no_usage_and_counts_that_are_not_whole_numbers_are_zero()
        {
            Assert.False(Decode("{\"usage\":[1,2]}").HasUsage);
            Assert.False(Decode("{\"usage\":null}").HasUsage);

            ChatChunk chunk = Decode("{\"usage\":{\"prompt_tokens\":\"10\",\"completion_tokens\":2.5,\"total_tokens\":9999999999,\"prompt_tokens_details\":null,\"completion_tokens_details\":[1]}}");
            Assert.True(chunk.HasUsage);
            Assert.Equal((0, 0, 0), (chunk.PromptTokens, chunk.CompletionTokens, chunk.TotalTokens));
            Assert.Null(chunk.CachedTokens);
            Assert.Null(chunk.ReasoningTokens);
        }

        [Fact]
        public void Image_and_video_counts_belong_to_the_prompt_only()
        {
            ChatChunk chunk = Decode(
                "{\"usage\":{\"completion_tokens_details\":{\"image_tokens\":11,\"video_tokens\":12,\"text_tokens\":13,\"audio_tokens\":14,\"cached_tokens\":15}," +
                "\"prompt_tokens_details\":{\"video_tokens\":4,\"audio_tokens\":3,\"image_tokens\":2,\"text_tokens\":1,\"reasoning_tokens\":99}}}");
            Assert.Equal(new int?[] { 1, 2, 3, 4, 13, 14 }, chunk.ModalityTokens);
            Assert.Null(chunk.CachedTokens);
            Assert.Null(chunk.ReasoningTokens);
        }

        [Fact]
        public void The_flat_cache_creation_count_wins_over_the_nested_one_in_either_order_and_an_odd_value_keeps_the_count()
        {
            Assert.Equal(100, Decode("{\"usage\":{\"prompt_tokens_details\":{\"cache_creation\":{\"ephemeral_5m_input_tokens\":7},\"cache_creation_input_tokens\":100}}}").CacheCreationTokens);
            Assert.Equal(100, Decode("{\"usage\":{\"prompt_tokens_details\":{\"cache_creation_input_tokens\":100,\"cache_creation\":{\"ephemeral_5m_input_tokens\":7}}}}").CacheCreationTokens);
            Assert.Equal(100, Decode("{\"usage\":{\"prompt_tokens_details\":{\"cache_creation_input_tokens\":100,\"cache_creation_input_tokens\":\"x\"}}}").CacheCreationTokens);
            Assert.Null(Decode("{\"usage\":{\"prompt_tokens_details\":{\"cache_creation\":[7],\"cache_type\":5}}}").CacheCreationTokens);
            Assert.Equal("5", Decode("{\"usage\":{\"prompt_tokens_details\":{\"cache_type\":5}}}").CacheType);
            Assert.Null(Decode("{\"usage\":{\"prompt_tokens_details\":{\"cache_creation\":{\"other\":1,\"ephemeral_5m_input_tokens\":\"x\"}}}}").CacheCreationTokens);
        }

        [Fact]
        public void Cache_fields_in_the_completion_details_are_not_read()
        {
            ChatChunk chunk = Decode("{\"usage\":{\"completion_tokens_details\":{\"cache_creation_input_tokens\":5,\"cache_type\":\"ephemeral\",\"reasoning_tokens\":2}}}");
            Assert.Null(chunk.CacheCreationTokens);
            Assert.Null(chunk.CacheType);
            Assert.Equal(2, chunk.ReasoningTokens);
        }

        [Theory]
        [InlineData("{\"choices\":[{\"delta\":{\"content\":\"\\ud800\"}}]}")]
        [InlineData("{\"error\":\"\\udfff\"}")]
        public void A_string_that_is_not_valid_text_is_invalid_json(string json)
        {
            Assert.Throws<JsonException>(() => Decode(json));
        }

        [Fact]
        public void A_chunk_that_is_not_an_object_is_invalid_json_with_a_plain_message()
        {
            var error = Assert.Throws<JsonException>(() => Decode("[]"));
            Assert.Equal("The stream chunk is not a JSON object.", error.Message);
            Assert.ThrowsAny<JsonException>(() => Decode(string.Empty));
        }

        [Fact]
        public void A_reused_chunk_is_reset_before_each_decode()
        {
            var chunk = new ChatChunk();
            ChatChunkDecoder.Decode(Encoding.UTF8.GetBytes(
                "{\"id\":\"i\",\"model\":\"m\",\"created\":5,\"request_id\":\"r\",\"error\":{\"code\":\"c\"},\"choices\":[{\"delta\":{\"content\":\"a\",\"reasoning_content\":\"b\",\"audio\":{\"data\":\"AA\",\"transcript\":\"t\"},\"tool_calls\":[{\"index\":0}]},\"finish_reason\":\"stop\"}]," +
                "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":1,\"text_tokens\":1,\"cache_type\":\"x\",\"cache_creation_input_tokens\":1},\"completion_tokens_details\":{\"reasoning_tokens\":1,\"audio_tokens\":1}}}"), chunk, true);
            ChatChunkDecoder.Decode(Encoding.UTF8.GetBytes("{}"), chunk, true);

            Assert.Null(chunk.Id);
            Assert.Null(chunk.Model);
            Assert.Null(chunk.Created);
            Assert.Null(chunk.RequestId);
            Assert.Null(chunk.Error);
            Assert.Null(chunk.Content);
            Assert.Null(chunk.Reasoning);
            Assert.Null(chunk.AudioData);
            Assert.Null(chunk.AudioTranscript);
            Assert.Empty(chunk.ToolCalls);
            Assert.Null(chunk.FinishReason);
            Assert.False(chunk.HasUsage);
            Assert.Equal((0, 0, 0), (chunk.PromptTokens, chunk.CompletionTokens, chunk.TotalTokens));
            Assert.Null(chunk.CachedTokens);
            Assert.Null(chunk.ReasoningTokens);
            Assert.Null(chunk.CacheCreationTokens);
            Assert.Null(chunk.CacheType);
            Assert.All(chunk.ModalityTokens, t => Assert.Null(t));
        }
    }
}
