using System.Collections;
using System.Collections.Specialized;
using System.IO;
using System.Text;
using System.Text.Json;
using QwenPS.Chat;
using QwenPS.Transport;
using Xunit;

namespace QwenPS.Tests.Unit
{
    public sealed class JsonSchemaSpecTests
    {
        private static string Written(JsonSchemaSpec spec)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                JsonValueWriter.Write(writer, StructuredOutput.ResponseFormat(spec)["json_schema"], "json_schema");
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        [Fact]
        public void A_bare_schema_is_named_after_its_title_and_sent_strict()
        {
            JsonSchemaSpec spec = JsonSchemaSpec.FromJson(@"{""title"":""Invoice data!"",""type"":""object"",""properties"":{""n"":{""type"":""string""}}}", "the -JsonSchema string");
            Assert.Equal(@"{""name"":""Invoice_data"",""schema"":{""title"":""Invoice data!"",""type"":""object"",""properties"":{""n"":{""type"":""string""}}},""strict"":true}", Written(spec));

            spec = JsonSchemaSpec.FromJson(@"{""type"":""array"",""items"":{""type"":""integer""}}", "x");
            Assert.Equal(JsonSchemaSpec.DefaultName, spec.Name);
        }

        [Fact]
        public void A_json_schema_object_with_name_and_schema_is_taken_whole()
        {
            JsonSchemaSpec spec = JsonSchemaSpec.FromJson(
                @"{""name"":""invoice"",""description"":""From a scan"",""strict"":false,""schema"":{""type"":""object"",""required"":[""n""],""properties"":{""n"":{""type"":""string""}}}}", "x");
            Assert.Equal(@"{""name"":""invoice"",""description"":""From a scan"",""schema"":{""type"":""object"",""required"":[""n""],""properties"":{""n"":{""type"":""string""}}},""strict"":false}", Written(spec));
        }

        [Fact]
        public void A_dictionary_keeps_its_order_and_nesting()
        {
            var properties = new OrderedDictionary { ["number"] = new Hashtable { ["type"] = "string" }, ["total"] = new Hashtable { ["type"] = "number" } };
            var schema = new OrderedDictionary
            {
                ["type"] = "object",
                ["properties"] = properties,
                ["required"] = new[] { "number", "total" },
                ["additionalProperties"] = false,
            };
            Assert.Equal(
                @"{""name"":""response"",""schema"":{""type"":""object"",""properties"":{""number"":{""type"":""string""},""total"":{""type"":""number""}},""required"":[""number"",""total""],""additionalProperties"":false},""strict"":true}",
                Written(JsonSchemaSpec.FromDictionary(schema)));
        }

        [Theory]
        [InlineData("{not json", "is not valid JSON")]
        [InlineData("[1,2]", "must be a JSON object (a schema), not an array")]
        [InlineData(@"{""type"":""string""}", "must describe an object or an array")]
        [InlineData(@"{""type"":""object"",""properties"":{""a"":{""type"":""date""}}}", "$.a: 'type' must be one of")]
        [InlineData(@"{""name"":""bad name"",""schema"":{""type"":""object""}}", "The schema name 'bad name' must be 1 to 64 characters")]
        public void Unusable_schemas_are_refused_before_anything_is_sent(string json, string says)
        {
            QwenException error = Assert.Throws<QwenException>(() => JsonSchemaSpec.FromJson(json, "the file s.json"));
            Assert.Equal(QwenErrorIds.InvalidArgument, error.ErrorId);
            Assert.Contains(says, error.Message);
            Assert.Equal("the file s.json", error.Target);
        }

        [Fact]
        public void Keywords_outside_the_subset_are_kept_and_listed()
        {
            JsonSchemaSpec spec = JsonSchemaSpec.FromJson(@"{""type"":""object"",""properties"":{""a"":{""type"":""string"",""format"":""date""}}}", "x");
            Assert.Equal(new[] { "format" }, spec.IgnoredKeywords);
            Assert.Contains(@"""format"":""date""", Written(spec));
        }
    }
}
