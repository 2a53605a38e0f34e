using System.Collections;
using System.Collections.Specialized;
using QwenPS.Chat.Tools;
using Xunit;

namespace QwenPS.Tests.Tools
{
    public sealed class ToolArgumentsTests
    {
        [Fact]
        public void Arguments_become_an_ordered_case_insensitive_table_with_plain_values()
        {
            OrderedDictionary table = ToolArgumentReader.TryParse(
                "{\"Name\":\"spooler\",\"Count\":3,\"Big\":12345678901,\"Ratio\":0.5,\"Force\":true,\"Tags\":[\"a\",1],\"Nested\":{\"X\":null}}", out string? error)!;

            Assert.Null(error);
            Assert.Equal(new[] { "Name", "Count", "Big", "Ratio", "Force", "Tags", "Nested" }, Keys(table));
            Assert.Equal("spooler", table["name"]);
            Assert.IsType<int>(table["Count"]);
            Assert.IsType<long>(table["Big"]);
            Assert.IsType<double>(table["Ratio"]);
            Assert.Equal(true, table["Force"]);
            Assert.Equal(new object[] { "a", 1 }, (object[])table["Tags"]!);
            var nested = Assert.IsType<OrderedDictionary>(table["Nested"]);
            Assert.True(nested.Contains("x"));
            Assert.Null(nested["X"]);
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        [InlineData(null)]
        [InlineData("{}")]
        public void No_arguments_is_an_empty_table(string? json)
        {
            OrderedDictionary? table = ToolArgumentReader.TryParse(json, out string? error);

            Assert.NotNull(table);
            Assert.Empty(table!);
            Assert.Null(error);
        }

        [Theory]
        [InlineData("{\"Name\":", "not valid JSON")]
        [InlineData("[1,2]", "not a JSON object: array")]
        [InlineData("\"text\"", "not a JSON object: string")]
        public void Text_that_is_not_a_JSON_object_is_refused_with_the_reason(string json, string expected)
        {
            Assert.Null(ToolArgumentReader.TryParse(json, out string? error));
            Assert.Contains(expected, error);
        }

        [Fact]
        public void The_command_line_reads_as_typed()
        {
            OrderedDictionary table = ToolArgumentReader.TryParse(
                "{\"Name\":\"spooler\",\"DependentServices\":true,\"Quiet\":false,\"Path\":\"C:\\\\Program Files\\\\x\",\"Count\":2.5,\"Id\":[1,2],\"Map\":{\"k\":\"v\"},\"Flag\":true,\"Note\":\"it's\",\"Code\":\"007\",\"Empty\":[],\"None\":null}", out _)!;

            string line = ToolArguments.FormatCommandLine("Get-Service", table, name => name == "DependentServices" || name == "Quiet");

            Assert.Equal(
                "Get-Service -Name spooler -DependentServices -Quiet:$false -Path 'C:\\Program Files\\x' -Count 2.5 -Id 1,2 -Map @{k = v} -Flag:$true -Note 'it''s' -Code '007' -Empty @() -None $null",
                line);
        }

        [Fact]
        public void A_command_without_arguments_is_its_name()
        {
            Assert.Equal("Get-Date", ToolArguments.FormatCommandLine("Get-Date", ToolArgumentReader.TryParse("{}", out _)));
            Assert.Equal("Get-Date", ToolArguments.FormatCommandLine("Get-Date", null));
        }

        private static string[] Keys(IDictionary table)
        {
            var keys = new string[table.Count];
            table.Keys.CopyTo(keys, 0);
            return keys;
        }
    }
}
