using System.Collections.Generic;
using System.Text;
using Xunit;
using QwenPS.Chat;
using QwenPS.Chat.Wire;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// The exact request body where a user's -AdditionalParameter meets what QwenPS writes itself, and the assistant
    /// messages of a tool conversation (docs/dashscope-notes.md, "Chat request body" and "Function calling").
    /// </summary>
    public class ChatBodyEdgeTests
    {
        private static readonly QwenMessage[] Hello = { new QwenMessage(QwenRole.User, "hi") };

        private static string Json(ChatRequest request) => Encoding.UTF8.GetString(ChatRequestWriter.Write(request));

        [Fact]
        public void A_users_stream_options_replace_the_ones_QwenPS_adds()
        {
            var extra = new Dictionary<string, object?> { ["stream_options"] = new Dictionary<string, object?> { ["include_usage"] = false } };
            Assert.Equal(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,\"stream_options\":{\"include_usage\":false}}",
                Json(new ChatRequest("m", Hello) { Stream = true, AdditionalParameters = extra }));
        }

        [Fact]
        public void A_stream_key_cannot_turn_off_a_stream_but_is_sent_as_given_on_a_call_that_does_not_stream()
        {
            var extra = new Dictionary<string, object?> { ["stream"] = false };
            Assert.Equal(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
                Json(new ChatRequest("m", Hello) { Stream = true, AdditionalParameters = extra }));
            Assert.Equal(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false}",
                Json(new ChatRequest("m", Hello) { AdditionalParameters = extra }));
        }

        [Fact]
        public void An_additional_parameter_replaces_the_field_of_the_same_name_and_comes_after_the_fields()
        {
            var extra = new Dictionary<string, object?> { ["seed"] = 7, ["x_custom"] = "v" };
            Assert.Equal(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.5,\"seed\":7,\"x_custom\":\"v\"}",
                Json(new ChatRequest("m", Hello) { [ChatFields.Temperature] = 0.5, [ChatFields.Seed] = 42, AdditionalParameters = extra }));
        }

        [Fact]
        public void Messages_without_tool_calls_carry_no_tool_calls_key_and_calls_are_written_with_index_and_without_a_missing_id()
        {
            var messages = new[]
            {
                new QwenMessage(QwenRole.User, "weather?"),
                new QwenMessage(QwenRole.Assistant, "let me look", null, new[] { new QwenToolCall(2, null, "get_weather", "{}") }),
                new QwenMessage(QwenRole.Tool, "sunny", "call_9", null),
                new QwenMessage(QwenRole.Assistant, "sunny", null, new QwenToolCall[0]),
            };
            Assert.Equal(
                "{\"model\":\"m\",\"messages\":[" +
                "{\"role\":\"user\",\"content\":\"weather?\"}," +
                "{\"role\":\"assistant\",\"content\":\"let me look\",\"tool_calls\":[{\"type\":\"function\",\"index\":2,\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]}," +
                "{\"role\":\"tool\",\"content\":\"sunny\",\"tool_call_id\":\"call_9\"}," +
                "{\"role\":\"assistant\",\"content\":\"sunny\"}]}",
                Json(new ChatRequest("m", messages)));
        }

        [Fact]
        public void Every_role_has_its_wire_name()
        {
            Assert.Equal("system", ChatRequestWriter.RoleName(QwenRole.System));
            Assert.Equal("user", ChatRequestWriter.RoleName(QwenRole.User));
            Assert.Equal("assistant", ChatRequestWriter.RoleName(QwenRole.Assistant));
            Assert.Equal("tool", ChatRequestWriter.RoleName(QwenRole.Tool));
            Assert.Throws<System.ArgumentOutOfRangeException>(() => ChatRequestWriter.RoleName((QwenRole)99));
        }
    }
}
