using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Engine;
using Xunit;

namespace QwenPS.Tests.TextGeneration
{
    /// <summary>The exact request bodies of structured output, partial mode, the cache and search (docs/dashscope-notes.md).</summary>
    public sealed class TextGenerationWriterTests
    {
        private static string Json(ChatRequest request) => Encoding.UTF8.GetString(ChatRequestWriter.Write(request));

        private static QwenMessage User(string text) => new QwenMessage(QwenRole.User, text);

        private static ChatRequest With(ChatRequest request, ChatField field, object value)
        {
            request[field] = value;
            return request;
        }

        [Fact]
        public void Json_schema_mode_is_the_reference_body()
        {
            JsonSchemaSpec schema = JsonSchemaSpec.FromJson(
                @"{""name"":""invoice"",""schema"":{""type"":""object"",""additionalProperties"":false,""required"":[""number"",""total""],""properties"":{""number"":{""type"":""string""},""total"":{""type"":""number""}}}}", "x");
            var request = new ChatRequest("qwen-plus", new[] { User("Extract the invoice number and total from: INV-0042, total 118.50 EUR") });
            request[ChatFields.EnableThinking] = false;
            request[ChatFields.ResponseFormat] = StructuredOutput.ResponseFormat(schema);

            Assert.Equal(
                @"{""model"":""qwen-plus"",""messages"":[{""role"":""user"",""content"":""Extract the invoice number and total from: INV-0042, total 118.50 EUR""}],""enable_thinking"":false,"
                + @"""response_format"":{""type"":""json_schema"",""json_schema"":{""name"":""invoice"",""schema"":{""type"":""object"",""additionalProperties"":false,""required"":[""number"",""total""],""properties"":{""number"":{""type"":""string""},""total"":{""type"":""number""}}},""strict"":true}}}",
                Json(request));
        }

        [Fact]
        public void Json_object_mode_writes_only_the_type()
        {
            Assert.Equal(
                @"{""model"":""qwen-plus"",""messages"":[{""role"":""user"",""content"":""json""}],""response_format"":{""type"":""json_object""}}",
                Json(With(new ChatRequest("qwen-plus", new[] { User("json") }), ChatFields.ResponseFormat, StructuredOutput.ResponseFormat(null))));
        }

        [Fact]
        public void A_partial_assistant_message_carries_partial_true_and_nothing_else_changes()
        {
            var messages = new[]
            {
                User("Write a C# method that reverses a string."),
                MessageFactory.Create(QwenRole.Assistant, "public static string Reverse(string s)\n{", null, partial: true),
            };
            Assert.Equal(
                @"{""model"":""qwen3-coder-plus"",""messages"":[{""role"":""user"",""content"":""Write a C# method that reverses a string.""},{""role"":""assistant"",""content"":""public static string Reverse(string s)\n{"",""partial"":true}]}",
                Json(new ChatRequest("qwen3-coder-plus", messages)));
        }

        [Fact]
        public void A_cache_marker_makes_the_content_one_marked_text_part()
        {
            var messages = new[]
            {
                MessageFactory.Create(QwenRole.System, "stable context", null, cache: true),
                User("Where is the retry logic?"),
            };
            Assert.Equal(
                @"{""model"":""qwen3-coder-plus"",""messages"":[{""role"":""system"",""content"":[{""type"":""text"",""text"":""stable context"",""cache_control"":{""type"":""ephemeral""}}]},{""role"":""user"",""content"":""Where is the retry logic?""}]}",
                Json(new ChatRequest("qwen3-coder-plus", messages)));
        }

        [Fact]
        public void A_cached_tool_message_keeps_its_tool_call_id()
        {
            QwenMessage tool = MessageFactory.Create(QwenRole.Tool, "{\"temp_c\":21}", "call_1", cache: true);
            Assert.Equal(
                @"{""model"":""qwen-plus"",""messages"":[{""role"":""tool"",""content"":[{""type"":""text"",""text"":""{\""temp_c\"":21}"",""cache_control"":{""type"":""ephemeral""}}],""tool_call_id"":""call_1""}]}",
                Json(new ChatRequest("qwen-plus", new[] { tool })));
        }

        [Fact]
        public void Search_writes_enable_search_and_the_options_in_order()
        {
            var options = new Dictionary<string, object?> { ["forced_search"] = true, ["search_strategy"] = "max" };
            Assert.Equal(
                @"{""model"":""qwen-plus"",""messages"":[{""role"":""user"",""content"":""x""}],""enable_search"":true,""search_options"":{""forced_search"":true,""search_strategy"":""max""}}",
                Json(With(With(new ChatRequest("qwen-plus", new[] { User("x") }), ChatFields.EnableSearch, true), ChatFields.SearchOption, options)));
        }

        [Fact]
        public void AdditionalParameter_still_wins_over_the_modelled_fields()
        {
            var extra = new Dictionary<string, object?> { ["response_format"] = new Dictionary<string, object?> { ["type"] = "text" }, ["enable_search"] = false };
            var request = new ChatRequest("qwen-plus", new[] { User("json") }) { AdditionalParameters = extra };
            request[ChatFields.ResponseFormat] = StructuredOutput.ResponseFormat(null);
            request[ChatFields.EnableSearch] = true;
            string json = Json(request);
            Assert.EndsWith(@"""response_format"":{""type"":""text""},""enable_search"":false}", json);
            Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateObject(), p => p.Name == "response_format");
        }
    }
}
