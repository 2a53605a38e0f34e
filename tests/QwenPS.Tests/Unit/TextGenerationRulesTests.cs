using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using QwenPS.Chat;
using QwenPS.Transport;
using Xunit;

namespace QwenPS.Tests.Unit
{
    /// <summary>The pure rules of issue 10's chat side: thinking conflicts, the json word, response_format, search options.</summary>
    public sealed class TextGenerationRulesTests
    {
        private readonly List<string> _verbose = new List<string>();

        [Theory]
        [InlineData("qwen-plus", null, null)]
        [InlineData("qwen-plus", false, false)]
        [InlineData("qwen3.5-plus", null, false)]
        [InlineData("qwen3-32b", null, false)]
        [InlineData("qwen3.5-plus", false, false)]
        public void Hybrid_models_that_think_by_default_are_told_not_to(string model, bool? asked, bool? sent)
        {
            Assert.Equal(sent, ThinkingConflict.Resolve(model, asked, "JSON output", QwenErrorIds.InvalidArgument, _verbose.Add));
            Assert.Equal(sent == false && asked == null ? 1 : 0, _verbose.Count);
        }

        [Theory]
        [InlineData("qwen-plus", true, "-EnableThinking cannot be combined with partial mode")]
        [InlineData("qwq-plus", null, "qwq-plus always thinks")]
        [InlineData("qwen3-235b-a22b-thinking-2507", false, "always thinks")]
        [InlineData("qvq-max", null, "always thinks")]
        public void Thinking_is_refused_before_any_request(string model, bool? asked, string says)
        {
            QwenException error = Assert.Throws<QwenException>(() => ThinkingConflict.Resolve(model, asked, "partial mode", "SomeId", _verbose.Add));
            Assert.Equal("SomeId", error.ErrorId);
            Assert.Equal(QwenErrorCategory.InvalidArgument, error.Category);
            Assert.Contains(says, error.Message);
            Assert.Equal(model, error.Target);
        }

        private static QwenMessage M(QwenRole role, string? content) => new QwenMessage(role, content);

        [Fact]
        public void The_json_word_is_looked_for_in_system_and_user_messages_only()
        {
            Assert.True(StructuredOutput.MentionsJson(new[] { M(QwenRole.User, "Give me JsOn") }));
            Assert.True(StructuredOutput.MentionsJson(new[] { M(QwenRole.System, "Answer as JSON."), M(QwenRole.User, "Hi") }));
            Assert.False(StructuredOutput.MentionsJson(new[] { M(QwenRole.User, "Hi"), M(QwenRole.Assistant, "json"), M(QwenRole.Tool, "json") }));
            Assert.False(StructuredOutput.MentionsJson(new[] { M(QwenRole.User, null) }));
        }

        [Fact]
        public void The_json_instruction_goes_after_the_leading_system_messages_and_only_when_needed()
        {
            var messages = new[] { M(QwenRole.System, "You are terse."), M(QwenRole.System, "fileid://file-fe-1"), M(QwenRole.User, "List colours") };
            IReadOnlyList<QwenMessage> sent = StructuredOutput.EnsureJsonWord(messages, _verbose.Add);
            Assert.Equal(new[] { "You are terse.", "fileid://file-fe-1", "Reply with JSON.", "List colours" }, sent.Select(m => m.Content));
            Assert.Equal(QwenRole.System, sent[2].RoleValue);
            Assert.Contains("adding the system message", Assert.Single(_verbose));

            Assert.Equal(new[] { "Reply with JSON.", "Hi" }, StructuredOutput.EnsureJsonWord(new[] { M(QwenRole.User, "Hi") }, _verbose.Add).Select(m => m.Content));

            var already = new[] { M(QwenRole.User, "as json please") };
            Assert.Same(already, StructuredOutput.EnsureJsonWord(already, _verbose.Add));
        }

        private static string Format(JsonSchemaSpec? spec)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("response_format");
                JsonValueWriter.Write(writer, StructuredOutput.ResponseFormat(spec), "response_format");
                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        [Fact]
        public void Response_format_is_json_object_or_json_schema_with_strict()
        {
            Assert.Equal(@"{""response_format"":{""type"":""json_object""}}", Format(null));
            JsonSchemaSpec spec = JsonSchemaSpec.FromJson(@"{""name"":""invoice"",""schema"":{""type"":""object"",""additionalProperties"":false,""required"":[""number""],""properties"":{""number"":{""type"":""string""}}}}", "x");
            Assert.Equal(
                @"{""response_format"":{""type"":""json_schema"",""json_schema"":{""name"":""invoice"",""schema"":{""type"":""object"",""additionalProperties"":false,""required"":[""number""],""properties"":{""number"":{""type"":""string""}}},""strict"":true}}}",
                Format(spec));
        }

        public static TheoryData<Dictionary<string, object?>?, string, string?> SearchCases => new TheoryData<Dictionary<string, object?>?, string, string?>
        {
            { null, "qwen-plus", null },
            { new Dictionary<string, object?> { ["forced_search"] = true, ["search_strategy"] = "max", ["enable_citation"] = true }, "qwen-plus", null },
            { new Dictionary<string, object?> { ["search_strategy"] = "agent", ["enable_source"] = true }, "qwen3-max", null },
            { new Dictionary<string, object?> { ["search_strategy"] = "fast" }, "qwen-plus", "must be one of turbo, max, agent, agent_max; got 'fast'" },
            { new Dictionary<string, object?> { ["search_strategy"] = "agent_max", ["forced_search"] = true }, "qwen3-max", "takes no option but enable_source; remove forced_search" },
            { null, "qwen-long", "qwen-long does not search the web" },
        };

        [Theory]
        [MemberData(nameof(SearchCases))]
        public void Search_options_are_checked_before_any_request(Dictionary<string, object?>? options, string model, string? says)
        {
            System.Exception? thrown = Record.Exception(() => SearchOptions.Check(options, model));
            if (says == null)
            {
                Assert.Null(thrown);
                return;
            }

            QwenException error = Assert.IsType<QwenException>(thrown);
            Assert.Equal(QwenErrorIds.InvalidArgument, error.ErrorId);
            Assert.Contains(says, error.Message);
        }
    }
}
