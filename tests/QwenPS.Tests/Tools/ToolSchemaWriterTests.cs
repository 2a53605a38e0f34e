using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using QwenPS.Chat.Tools;
using Xunit;

namespace QwenPS.Tests.Tools
{
    public sealed class ToolSchemaWriterTests
    {
        private static JsonNode Schema(params ToolParameterSpec[] parameters) => JsonNode.Parse(ToolSchemaWriter.Write(parameters))!;

        private static JsonNode Property(ToolParameterSpec parameter) => Schema(parameter)["properties"]![parameter.Name]!;

        [Fact]
        public void A_command_with_mandatory_and_optional_parameters_gives_the_exact_schema()
        {
            string json = ToolSchemaWriter.Write(new[]
            {
                new ToolParameterSpec("Name", typeof(string[])) { Mandatory = true, Description = "Service names.", Pattern = "^[A-Za-z]+$" },
                new ToolParameterSpec("Count", typeof(int)) { Minimum = 1, Maximum = 10 },
                new ToolParameterSpec("Force", typeof(bool)),
                new ToolParameterSpec("Day", typeof(DayOfWeek)) { Mandatory = true },
            });

            Assert.Equal(
                "{\"type\":\"object\",\"properties\":{"
                + "\"Name\":{\"type\":\"array\",\"description\":\"Service names.\",\"items\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z]+$\"}},"
                + "\"Count\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
                + "\"Force\":{\"type\":\"boolean\"},"
                + "\"Day\":{\"type\":\"string\",\"enum\":[\"Sunday\",\"Monday\",\"Tuesday\",\"Wednesday\",\"Thursday\",\"Friday\",\"Saturday\"]}},"
                + "\"required\":[\"Name\",\"Day\"],\"additionalProperties\":false}",
                json);
        }

        [Theory]
        [InlineData(typeof(string), "string")]
        [InlineData(typeof(char), "string")]
        [InlineData(typeof(Guid), "string")]
        [InlineData(typeof(Uri), "string")]
        [InlineData(typeof(object), "string")]
        [InlineData(typeof(int), "integer")]
        [InlineData(typeof(long), "integer")]
        [InlineData(typeof(byte), "integer")]
        [InlineData(typeof(int?), "integer")]
        [InlineData(typeof(double), "number")]
        [InlineData(typeof(float), "number")]
        [InlineData(typeof(decimal), "number")]
        [InlineData(typeof(bool), "boolean")]
        [InlineData(typeof(Hashtable), "object")]
        [InlineData(typeof(Dictionary<string, object>), "object")]
        public void Dotnet_types_map_to_schema_types(Type type, string expected)
        {
            Assert.Equal(expected, (string?)Property(new ToolParameterSpec("P", type))["type"]);
        }

        [Theory]
        [InlineData(typeof(string[]), "string")]
        [InlineData(typeof(int[]), "integer")]
        [InlineData(typeof(List<double>), "number")]
        [InlineData(typeof(DayOfWeek[]), "string")]
        public void Arrays_and_lists_become_arrays_of_their_item_type(Type type, string itemType)
        {
            JsonNode property = Property(new ToolParameterSpec("P", type));

            Assert.Equal("array", (string?)property["type"]);
            Assert.Equal(itemType, (string?)property["items"]!["type"]);
        }

        [Fact]
        public void ValidateSet_becomes_enum_also_on_the_items_of_an_array()
        {
            JsonNode single = Property(new ToolParameterSpec("Color", typeof(string)) { AllowedValues = new[] { "Red", "Blue" } });
            JsonNode many = Property(new ToolParameterSpec("Color", typeof(string[])) { AllowedValues = new[] { "Red", "Blue" } });

            Assert.Equal(new[] { "Red", "Blue" }, single["enum"]!.AsArray().Select(v => (string?)v));
            Assert.Null(many["enum"]);
            Assert.Equal(new[] { "Red", "Blue" }, many["items"]!["enum"]!.AsArray().Select(v => (string?)v));
        }

        [Fact]
        public void A_ValidateSet_wins_over_the_enum_type_names()
        {
            JsonNode property = Property(new ToolParameterSpec("Day", typeof(DayOfWeek)) { AllowedValues = new[] { "Monday" } });

            Assert.Equal(new[] { "Monday" }, property["enum"]!.AsArray().Select(v => (string?)v));
        }

        [Fact]
        public void Ranges_apply_to_numbers_only_and_patterns_and_lengths_to_strings_only()
        {
            JsonNode number = Property(new ToolParameterSpec("N", typeof(double)) { Minimum = 0.5, Maximum = 2, Pattern = "^x$", MinLength = 1 });
            JsonNode text = Property(new ToolParameterSpec("S", typeof(string)) { Minimum = 1, Pattern = "^x$", MinLength = 1, MaxLength = 5 });

            Assert.Equal(0.5, (double)number["minimum"]!);
            Assert.Equal(2, (int)number["maximum"]!);
            Assert.Null(number["pattern"]);
            Assert.Null(number["minLength"]);
            Assert.Null(text["minimum"]);
            Assert.Equal("^x$", (string?)text["pattern"]);
            Assert.Equal(1, (int)text["minLength"]!);
            Assert.Equal(5, (int)text["maxLength"]!);
        }

        [Fact]
        public void Unsigned_integers_get_a_minimum_of_zero_and_dates_a_format()
        {
            Assert.Equal(0, (int)Property(new ToolParameterSpec("U", typeof(uint)))["minimum"]!);
            Assert.Equal("date-time", (string?)Property(new ToolParameterSpec("D", typeof(DateTime)))["format"]);
        }

        [Fact]
        public void ValidateCount_bounds_the_items_of_an_array()
        {
            JsonNode property = Property(new ToolParameterSpec("P", typeof(string[])) { MinItems = 1, MaxItems = 3 });

            Assert.Equal(1, (int)property["minItems"]!);
            Assert.Equal(3, (int)property["maxItems"]!);
        }

        [Fact]
        public void Int32_MaxValue_bounds_are_written_as_integers()
        {
            JsonNode property = Property(new ToolParameterSpec("P", typeof(int)) { Minimum = 1, Maximum = int.MaxValue });

            Assert.Equal("{\"type\":\"integer\",\"minimum\":1,\"maximum\":2147483647}", property.ToJsonString());
        }

        [Fact]
        public void No_parameters_and_no_mandatory_ones_leave_required_out()
        {
            Assert.Equal("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}", ToolSchemaWriter.Write(Array.Empty<ToolParameterSpec>()));
            Assert.Null(Schema(new ToolParameterSpec("P", typeof(string)))["required"]);
        }

        [Fact]
        public void Descriptions_in_Chinese_are_written_as_UTF8_text()
        {
            Assert.Contains("\"description\":\"城市名\"", ToolSchemaWriter.Write(new[] { new ToolParameterSpec("City", typeof(string)) { Description = "城市名" } }));
        }
    }
}
