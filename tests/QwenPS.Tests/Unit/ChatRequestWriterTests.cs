using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Errors;
using QwenPS.Files.Wire;

namespace QwenPS.Tests.Unit
{
    public class ChatRequestWriterTests
    {
        private static JsonElement Write(ChatRequest request) => JsonDocument.Parse(ChatRequestWriter.Write(request)).RootElement.Clone();

        [Fact]
        public void Messages_keep_their_order_roles_and_exact_content()
        {
            var messages = new[]
            {
                new QwenMessage(QwenRole.User, "你好"),
                new QwenMessage(QwenRole.Assistant, "你好!很高兴见到你,有什么我可以帮忙的吗?"),
                new QwenMessage(QwenRole.User, "你是谁?"),
            };
            JsonElement body = Write(new ChatRequest("qwq-32b", messages) { Stream = true });

            Assert.Equal("qwq-32b", body.GetProperty("model").GetString());
            JsonElement[] sent = body.GetProperty("messages").EnumerateArray().ToArray();
            Assert.Equal(new[] { "user", "assistant", "user" }, sent.Select(m => m.GetProperty("role").GetString()));
            Assert.Equal(messages.Select(m => m.Content), sent.Select(m => m.GetProperty("content").GetString()));
            Assert.All(sent, m => Assert.False(m.TryGetProperty("reasoning_content", out _)));
            Assert.True(body.GetProperty("stream").GetBoolean());
            Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        }

        [Fact]
        public void Cjk_text_is_written_as_utf8_not_escapes()
        {
            string json = Encoding.UTF8.GetString(ChatRequestWriter.Write(new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "这篇文章讲了什么?") })));
            Assert.Contains("这篇文章讲了什么?", json);
            Assert.DoesNotContain("\\u", json);
        }

        [Fact]
        public void A_non_streamed_call_sends_neither_stream_nor_stream_options()
        {
            JsonElement body = Write(new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "x") }));
            Assert.False(body.TryGetProperty("stream", out _));
            Assert.False(body.TryGetProperty("stream_options", out _));
            Assert.False(body.TryGetProperty("temperature", out _));
        }

        [Fact]
        public void Dashscope_parameters_go_at_the_top_level_with_their_wire_names()
        {
            JsonElement body = Write(new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "x") })
            {
                [ChatFields.EnableThinking] = true,
                [ChatFields.ThinkingBudget] = 2048,
                [ChatFields.Temperature] = 0.7,
                [ChatFields.TopP] = 0.8,
                [ChatFields.TopK] = 20,
                [ChatFields.MaxTokens] = 100,
                [ChatFields.Seed] = 42,
                [ChatFields.PresencePenalty] = 1.5,
                [ChatFields.Stop] = new[] { "END" },
            });

            Assert.True(body.GetProperty("enable_thinking").GetBoolean());
            Assert.Equal(2048, body.GetProperty("thinking_budget").GetInt32());
            Assert.Equal(0.7, body.GetProperty("temperature").GetDouble());
            Assert.Equal(0.8, body.GetProperty("top_p").GetDouble());
            Assert.Equal(20, body.GetProperty("top_k").GetInt32());
            Assert.Equal(100, body.GetProperty("max_tokens").GetInt32());
            Assert.Equal(42, body.GetProperty("seed").GetInt32());
            Assert.Equal(1.5, body.GetProperty("presence_penalty").GetDouble());
            Assert.Equal("END", body.GetProperty("stop").GetString());
        }

        [Fact]
        public void Several_stop_strings_are_an_array_and_enable_thinking_false_is_sent()
        {
            JsonElement body = Write(new ChatRequest("m", new[] { new QwenMessage(QwenRole.User, "x") }) { [ChatFields.Stop] = new[] { "a", "b" }, [ChatFields.EnableThinking] = false });
            Assert.Equal(new[] { "a", "b" }, body.GetProperty("stop").EnumerateArray().Select(e => e.GetString()));
            Assert.False(body.GetProperty("enable_thinking").GetBoolean());
        }

        [Fact]
        public void Additional_parameters_are_merged_at_the_top_level_and_win_over_modelled_fields()
        {
            var extra = new Dictionary<string, object?>
            {
                ["enable_search"] = true,
                ["search_options"] = new Hashtable { ["forced_search"] = true, ["search_strategy"] = "max" },
                ["temperature"] = 0.1,
                ["translation_options"] = new Dictionary<string, object?> { ["terms"] = new object[] { new Hashtable { ["source"] = "a", ["target"] = "b" } } },
                ["nothing"] = null,
            };
            JsonElement body = Write(new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "x") }) { [ChatFields.Temperature] = 0.9, AdditionalParameters = extra });

            Assert.True(body.GetProperty("enable_search").GetBoolean());
            Assert.Equal("max", body.GetProperty("search_options").GetProperty("search_strategy").GetString());
            Assert.Equal(0.1, body.GetProperty("temperature").GetDouble());
            Assert.Single(body.EnumerateObject(), p => p.Name == "temperature");
            Assert.Equal("b", body.GetProperty("translation_options").GetProperty("terms")[0].GetProperty("target").GetString());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("nothing").ValueKind);
        }

        [Fact]
        public void Additional_parameters_cannot_replace_model_or_messages()
        {
            var extra = new Dictionary<string, object?> { ["model"] = "other", ["messages"] = "x" };
            JsonElement body = Write(new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "x") }) { AdditionalParameters = extra });
            Assert.Equal("qwen-plus", body.GetProperty("model").GetString());
            Assert.Equal(JsonValueKind.Array, body.GetProperty("messages").ValueKind);
        }

        [Fact]
        public void A_non_finite_number_in_additional_parameters_is_rejected_before_sending()
        {
            var extra = new Dictionary<string, object?> { ["weird"] = new Hashtable { ["x"] = double.NaN } };
            var error = Assert.Throws<QwenException>(() => ChatRequestWriter.Write(new ChatRequest("m", new[] { new QwenMessage(QwenRole.User, "x") }) { AdditionalParameters = extra }));
            Assert.Equal(QwenErrorIds.InvalidArgument, error.ErrorId);
            Assert.Contains("weird.x", error.Message);
        }

        [Fact]
        public void Tool_messages_and_assistant_tool_calls_use_the_wire_shape()
        {
            var call = new QwenToolCall(0, "call_1", "get_weather", "{\"city\":\"杭州\"}");
            var messages = new[]
            {
                new QwenMessage(QwenRole.Assistant, null, null, new[] { call }),
                new QwenMessage(QwenRole.Tool, "{\"temp\":20}", "call_1", null),
            };
            JsonElement body = Write(new ChatRequest("qwen-plus", messages));
            JsonElement assistant = body.GetProperty("messages")[0];
            Assert.Equal(JsonValueKind.Null, assistant.GetProperty("content").ValueKind);
            JsonElement toolCall = assistant.GetProperty("tool_calls")[0];
            Assert.Equal("call_1", toolCall.GetProperty("id").GetString());
            Assert.Equal("function", toolCall.GetProperty("type").GetString());
            Assert.Equal("get_weather", toolCall.GetProperty("function").GetProperty("name").GetString());
            Assert.Equal("{\"city\":\"杭州\"}", toolCall.GetProperty("function").GetProperty("arguments").GetString());
            JsonElement tool = body.GetProperty("messages")[1];
            Assert.Equal("tool", tool.GetProperty("role").GetString());
            Assert.Equal("call_1", tool.GetProperty("tool_call_id").GetString());
        }

        [Fact]
        public void A_continued_conversation_resends_the_answer_but_never_the_reasoning()
        {
            var aggregator = new QwenPS.Chat.ChatStreamAggregator();
            aggregator.Process(Encoding.UTF8.GetBytes("{\"choices\":[{\"delta\":{\"reasoning_content\":\"SECRET-REASONING\"}}]}"), null);
            aggregator.Process(Encoding.UTF8.GetBytes("{\"choices\":[{\"delta\":{\"content\":\"the answer\"},\"finish_reason\":\"stop\"}]}"), null);
            QwenChatResponse first = aggregator.Build(new[] { new QwenMessage(QwenRole.User, "q1") }, null, false);

            var next = new List<QwenMessage>(first.History) { new QwenMessage(QwenRole.User, "q2") };
            string json = Encoding.UTF8.GetString(ChatRequestWriter.Write(new ChatRequest("qwq-plus", next) { Stream = true }));

            Assert.DoesNotContain("SECRET-REASONING", json);
            Assert.DoesNotContain("reasoning_content", json);
            JsonElement sent = JsonDocument.Parse(json).RootElement.GetProperty("messages");
            Assert.Equal("assistant", sent[1].GetProperty("role").GetString());
            Assert.Equal("the answer", sent[1].GetProperty("content").GetString());
        }
    }
}
