using System.Text.Json.Nodes;
using QwenPS.Chat.Tools;
using Xunit;

namespace QwenPS.Tests.Tools
{
    public sealed class ToolTextTests
    {
        [Fact]
        public void A_result_within_the_cap_is_sent_as_it_is()
        {
            Assert.Equal("abc", ToolResultText.Cap("abc", 3, out bool truncated));
            Assert.False(truncated);
        }

        [Fact]
        public void A_longer_result_is_cut_with_a_note_giving_both_lengths()
        {
            string text = ToolResultText.Cap(new string('x', 250), 100, out bool truncated);

            Assert.True(truncated);
            Assert.Equal(new string('x', 100) + "\n[QwenPS: the result was truncated: 100 of 250 characters shown.]", text);
        }

        [Fact]
        public void The_cut_never_splits_a_surrogate_pair()
        {
            string text = ToolResultText.Cap("ab😀cd", 3, out _);

            Assert.StartsWith("ab\n", text);
            Assert.Contains("2 of 6", text);
        }

        [Fact]
        public void Errors_are_JSON_the_model_can_read()
        {
            Assert.Equal("{\"error\":\"disk \\\"C\\\" 满了\"}", ToolResultText.Error("disk \"C\" 满了"));
            JsonNode both = JsonNode.Parse(ToolResultText.Errors(new[] { "one", "two" }, "[1,2]"))!;
            Assert.Equal("one", (string?)both["errors"]![0]);
            Assert.Equal(2, (int)both["output"]![1]!);
            Assert.Equal("{\"errors\":[\"e\"],\"output\":null}", ToolResultText.Errors(new[] { "e" }, null));
            Assert.Equal("{\"errors\":[\"e\"],\"output\":\"[1,\"}", ToolResultText.Errors(new[] { "e" }, "[1,"));
        }

        [Theory]
        [InlineData("Get-Service", true)]
        [InlineData("get_weather_2", true)]
        [InlineData("Microsoft.PowerShell.Management\\Get-Service", false)]
        [InlineData("has space", false)]
        [InlineData("", false)]
        public void Names_follow_the_service_pattern(string name, bool valid)
        {
            Assert.Equal(valid, ToolNames.IsValid(name));
        }

        [Fact]
        public void Command_names_are_made_valid()
        {
            Assert.Equal("Microsoft_PowerShell_Management_Get-Service", ToolNames.FromCommandName("Microsoft.PowerShell.Management\\Get-Service"));
            Assert.Equal(64, ToolNames.FromCommandName(new string('a', 100)).Length);
            Assert.True(ToolNames.IsValid(ToolNames.FromCommandName("Über-Tool")));
        }

        [Fact]
        public void A_given_schema_gets_its_object_type_and_wrong_ones_are_refused()
        {
            Assert.Equal("{\"type\":\"object\",\"properties\":{}}", ToolSchemaReader.Normalize("{\"properties\":{}}", out string? error));
            Assert.Null(error);
            Assert.Equal("{\"type\":\"object\"}", ToolSchemaReader.Normalize("{}", out _));
            ToolSchemaReader.Normalize("{\"type\":\"string\"}", out error);
            Assert.Contains("\"type\": \"object\"", error);
            ToolSchemaReader.Normalize("[]", out error);
            Assert.NotNull(error);
            ToolSchemaReader.Normalize("{", out error);
            Assert.Contains("not valid JSON", error);
        }

        [Fact]
        public void Required_names_are_read_from_the_schema()
        {
            Assert.Equal(new[] { "A", "B" }, ToolSchemaReader.Required("{\"type\":\"object\",\"required\":[\"A\",\"B\"]}"));
            Assert.Empty(ToolSchemaReader.Required("{\"type\":\"object\"}"));
        }
    }
}
