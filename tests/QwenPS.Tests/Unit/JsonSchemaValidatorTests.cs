using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using QwenPS.Chat;
using Xunit;

namespace QwenPS.Tests.Unit
{
    public sealed class JsonSchemaValidatorTests
    {
        private const string Invoice = @"{""type"":""object"",""additionalProperties"":false,""required"":[""number"",""total"",""lines""],
            ""properties"":{""number"":{""type"":""string""},""total"":{""type"":""number""},""paid"":{""type"":""boolean""},
              ""currency"":{""type"":""string"",""enum"":[""EUR"",""USD""]},
              ""lines"":{""type"":""array"",""items"":{""type"":""object"",""required"":[""qty""],""properties"":{""qty"":{""type"":""integer""}}}}}}";

        private static JsonElement Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }

        private static IReadOnlyList<string> Validate(string instance, string schema = Invoice) => JsonSchemaValidator.Validate(Parse(instance), Parse(schema));

        [Fact]
        public void A_conforming_answer_has_no_problems()
        {
            Assert.Empty(Validate(@"{""number"":""INV-0042"",""total"":118.5,""paid"":true,""currency"":""EUR"",""lines"":[{""qty"":2},{""qty"":3.0}]}"));
        }

        [Fact]
        public void Every_problem_is_named_with_its_path_in_document_order()
        {
            IReadOnlyList<string> problems = Validate(
                @"{""number"":42,""total"":""118"",""currency"":""GBP"",""lines"":[{""qty"":1.5},{}],""note"":""x""}");
            Assert.Equal(new[]
            {
                "$.number: expected string, got an integer",
                "$.total: expected number, got a string",
                @"$.currency: expected one of ""EUR"", ""USD"", got ""GBP""",
                "$.lines[0].qty: expected integer, got a number",
                "$.lines[1].qty: required property is missing",
                "$.note: property is not allowed by the schema",
            }, problems);
        }

        [Fact]
        public void A_missing_required_property_and_a_wrong_root_type_are_reported()
        {
            Assert.Equal(new[] { "$.number: required property is missing", "$.total: required property is missing", "$.lines: required property is missing" }, Validate("{}"));
            Assert.Equal(new[] { "$: expected object, got an array" }, Validate("[1]"));
        }

        [Theory]
        [InlineData(@"{""type"":[""string"",""null""]}", "null", true)]
        [InlineData(@"{""type"":[""string"",""null""]}", "3", false)]
        [InlineData(@"{""type"":""integer""}", "-7", true)]
        [InlineData(@"{""type"":""integer""}", "1e2", true)]
        [InlineData(@"{""type"":""boolean""}", "false", true)]
        [InlineData(@"{""enum"":[1,""a"",{""k"":[true]}]}", "1.0", true)]
        [InlineData(@"{""enum"":[1,""a"",{""k"":[true]}]}", @"{""k"":[true]}", true)]
        [InlineData(@"{""enum"":[1,""a"",{""k"":[true]}]}", @"{""k"":[false]}", false)]
        [InlineData(@"{""type"":""object"",""additionalProperties"":{""type"":""integer""}}", @"{""a"":1,""b"":2}", true)]
        [InlineData(@"{""type"":""object"",""additionalProperties"":{""type"":""integer""}}", @"{""a"":1,""b"":""2""}", false)]
        [InlineData(@"{""title"":""only annotations""}", @"{""anything"":[1]}", true)]
        public void Types_enums_and_additional_properties_follow_json_schema(string schema, string instance, bool conforms)
        {
            Assert.Equal(conforms, Validate(instance, schema).Count == 0);
        }

        [Fact]
        public void Property_names_that_are_not_identifiers_are_quoted_and_problems_are_capped()
        {
            Assert.Equal(new[] { "$['unit price']: expected number, got a string" },
                Validate(@"{""unit price"":""x""}", @"{""properties"":{""unit price"":{""type"":""number""}}}"));

            string many = "[" + string.Join(",", Enumerable.Repeat("\"x\"", 30)) + "]";
            Assert.Equal(JsonSchemaValidator.MaxProblems, Validate(many, @"{""type"":""array"",""items"":{""type"":""integer""}}").Count);
        }

        [Fact]
        public void CheckSchema_reports_bad_shapes_and_collects_keywords_outside_the_subset()
        {
            var ignored = new List<string>();
            IReadOnlyList<string> problems = JsonSchemaValidator.CheckSchema(Parse(
                @"{""type"":""object"",""properties"":{""a"":{""type"":""text""},""b"":{""type"":""string"",""pattern"":""^x"",""minLength"":1},""c"":5},
                   ""required"":[1],""additionalProperties"":""no"",""enum"":[],""description"":""d""}"), ignored);
            Assert.Equal(new[]
            {
                "$.a: 'type' must be one of string, number, integer, boolean, object, array, null (or a list of them), not \"text\"",
                "$.c: a schema must be a JSON object, not an integer",
                "$: 'required' must be a list of property names",
                "$: 'additionalProperties' must be true, false or a schema",
                "$: 'enum' must be a non-empty list of values",
            }, problems);
            Assert.Equal(new[] { "pattern", "minLength" }, ignored);
            Assert.Empty(JsonSchemaValidator.CheckSchema(Parse(Invoice), ignored = new List<string>()));
            Assert.Empty(ignored);
        }
    }
}
