using System.Text.Json;
using QwenPS.Chat;
using Xunit;

namespace QwenPS.Tests.Unit
{
    public sealed class JsonAnswerCheckTests
    {
        private static readonly JsonSchemaSpec Spec = JsonSchemaSpec.FromJson(
            @"{""type"":""object"",""required"":[""n""],""additionalProperties"":false,""properties"":{""n"":{""type"":""integer""}}}", "x");

        [Fact]
        public void A_valid_answer_is_parsed()
        {
            Assert.Null(JsonAnswerCheck.Problem(@"{""n"":3}", "stop", Spec, out JsonElement value));
            Assert.Equal(3, value.GetProperty("n").GetInt32());
            Assert.Null(JsonAnswerCheck.Problem("[1,2]", "stop", null, out value));
            Assert.Equal(2, value.GetArrayLength());
        }

        [Theory]
        [InlineData(@"{""n"":3}", "length", "cut off at the token limit (finish_reason length)")]
        [InlineData(@"{""n"":3,}", "stop", "The answer is not valid JSON: ")]
        [InlineData("", "stop", "The answer is not valid JSON: ")]
        [InlineData(@"[{""ok"":{"""":1}}]", "stop", "a property whose name is empty")]
        [InlineData(@"{""n"":""3"",""x"":1}", "stop", "does not match the JSON schema: $.n: expected integer, got a string; $.x: property is not allowed by the schema.")]
        public void Cut_invalid_and_nonconforming_answers_say_what_is_wrong(string text, string finish, string says)
        {
            string? problem = JsonAnswerCheck.Problem(text, finish, Spec, out _);
            Assert.NotNull(problem);
            Assert.Contains(says, problem);
            Assert.EndsWith("Reply again with only the corrected JSON.", JsonAnswerCheck.RepairPrompt(problem!));
        }
    }
}
