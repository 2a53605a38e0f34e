using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace QwenPS.Chat
{
    /// <summary>
    /// Checks a JSON answer against a JSON schema, for the subset DashScope's structured output supports
    /// (docs/dashscope-notes.md, "Structured output"): <c>type</c> (one name or a list), <c>properties</c>,
    /// <c>required</c>, <c>items</c>, <c>enum</c> and <c>additionalProperties</c> (false or a schema).
    /// Annotation keywords (title, description…) are ignored. Problems are reported as "$.path: what", at most
    /// <see cref="MaxProblems"/> of them, in document order.
    /// </summary>
    internal static class JsonSchemaValidator
    {
        public const int MaxProblems = 10;

        private const int MaxDepth = 64;

        /// <summary>The keywords the validator understands.</summary>
        public static readonly IReadOnlyList<string> Keywords = new[] { "type", "properties", "required", "items", "enum", "additionalProperties" };

        /// <summary>Keywords that only annotate; a schema may carry them without effect.</summary>
        public static readonly IReadOnlyList<string> Annotations = new[] { "title", "description", "default", "examples", "$schema", "$comment" };

        public static readonly IReadOnlyList<string> TypeNames = new[] { "string", "number", "integer", "boolean", "object", "array", "null" };

        private static readonly Regex PlainName = new Regex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

        /// <summary>The ways <paramref name="instance"/> breaks <paramref name="schema"/>; empty when it conforms.</summary>
        public static IReadOnlyList<string> Validate(JsonElement instance, JsonElement schema)
        {
            var problems = new List<string>();
            Check(instance, schema, "$", problems, 0);
            return problems;
        }

        /// <summary>
        /// Problems of the schema itself (checked before anything is sent): it must be an object, and the
        /// supported keywords must have the right shapes. <paramref name="ignored"/> collects the keywords
        /// outside the subset (the service may refuse them; this validator does not check them).
        /// </summary>
        public static IReadOnlyList<string> CheckSchema(JsonElement schema, ICollection<string> ignored)
        {
            var problems = new List<string>();
            CheckSchemaNode(schema, "$", problems, ignored, 0);
            return problems;
        }

        private static void Check(JsonElement value, JsonElement schema, string path, List<string> problems, int depth)
        {
            if (problems.Count >= MaxProblems || depth > MaxDepth || schema.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (schema.TryGetProperty("type", out JsonElement type) && !MatchesType(value, type))
            {
                Add(problems, path, "expected " + Describe(type) + ", got " + KindName(value));
                return;
            }

            if (schema.TryGetProperty("enum", out JsonElement allowed) && allowed.ValueKind == JsonValueKind.Array
                && !allowed.EnumerateArray().Any(option => JsonEquals(option, value)))
            {
                Add(problems, path, "expected one of " + string.Join(", ", allowed.EnumerateArray().Select(o => o.GetRawText())) + ", got " + Shorten(value.GetRawText()));
            }

            if (value.ValueKind == JsonValueKind.Object)
            {
                CheckObject(value, schema, path, problems, depth);
            }
            else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out JsonElement items))
            {
                int index = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    Check(item, items, path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]", problems, depth + 1);
                    index++;
                }
            }
        }

        private static void CheckObject(JsonElement value, JsonElement schema, string path, List<string> problems, int depth)
        {
            bool hasProperties = schema.TryGetProperty("properties", out JsonElement properties) && properties.ValueKind == JsonValueKind.Object;
            if (schema.TryGetProperty("required", out JsonElement required) && required.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement name in required.EnumerateArray())
                {
                    if (name.ValueKind == JsonValueKind.String && !value.TryGetProperty(name.GetString()!, out _))
                    {
                        Add(problems, Child(path, name.GetString()!), "required property is missing");
                    }
                }
            }

            schema.TryGetProperty("additionalProperties", out JsonElement additional);
            foreach (JsonProperty property in value.EnumerateObject())
            {
                string childPath = Child(path, property.Name);
                if (hasProperties && properties.TryGetProperty(property.Name, out JsonElement propertySchema))
                {
                    Check(property.Value, propertySchema, childPath, problems, depth + 1);
                }
                else if (additional.ValueKind == JsonValueKind.False)
                {
                    Add(problems, childPath, "property is not allowed by the schema");
                }
                else if (additional.ValueKind == JsonValueKind.Object)
                {
                    Check(property.Value, additional, childPath, problems, depth + 1);
                }
            }
        }

        private static void CheckSchemaNode(JsonElement schema, string path, List<string> problems, ICollection<string> ignored, int depth)
        {
            if (depth > MaxDepth)
            {
                Add(problems, path, "the schema is nested more than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels deep");
                return;
            }

            if (schema.ValueKind != JsonValueKind.Object)
            {
                Add(problems, path, "a schema must be a JSON object, not " + KindName(schema));
                return;
            }

            foreach (JsonProperty keyword in schema.EnumerateObject())
            {
                JsonElement v = keyword.Value;
                switch (keyword.Name)
                {
                    case "type":
                        bool known = v.ValueKind == JsonValueKind.String
                            ? TypeNames.Contains(v.GetString())
                            : v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String && TypeNames.Contains(t.GetString()));
                        if (!known)
                        {
                            Add(problems, path, "'type' must be one of " + string.Join(", ", TypeNames) + " (or a list of them), not " + Shorten(v.GetRawText()));
                        }

                        break;
                    case "properties":
                        if (v.ValueKind != JsonValueKind.Object)
                        {
                            Add(problems, path, "'properties' must be an object of property schemas");
                            break;
                        }

                        foreach (JsonProperty property in v.EnumerateObject())
                        {
                            CheckSchemaNode(property.Value, Child(path, property.Name), problems, ignored, depth + 1);
                        }

                        break;
                    case "required":
                        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String))
                        {
                            Add(problems, path, "'required' must be a list of property names");
                        }

                        break;
                    case "items":
                        CheckSchemaNode(v, path + "[*]", problems, ignored, depth + 1);
                        break;
                    case "enum":
                        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
                        {
                            Add(problems, path, "'enum' must be a non-empty list of values");
                        }

                        break;
                    case "additionalProperties":
                        if (v.ValueKind == JsonValueKind.Object)
                        {
                            CheckSchemaNode(v, path + ".*", problems, ignored, depth + 1);
                        }
                        else if (v.ValueKind != JsonValueKind.True && v.ValueKind != JsonValueKind.False)
                        {
                            Add(problems, path, "'additionalProperties' must be true, false or a schema");
                        }

                        break;
                    default:
                        if (!Annotations.Contains(keyword.Name) && !ignored.Contains(keyword.Name))
                        {
                            ignored.Add(keyword.Name);
                        }

                        break;
                }
            }
        }

        private static bool MatchesType(JsonElement value, JsonElement type)
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                return MatchesType(value, type.GetString()!);
            }

            return type.ValueKind != JsonValueKind.Array || type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && MatchesType(value, t.GetString()!));
        }

        private static bool MatchesType(JsonElement value, string type)
        {
            switch (type)
            {
                case "string":
                    return value.ValueKind == JsonValueKind.String;
                case "number":
                    return value.ValueKind == JsonValueKind.Number;
                case "integer":
                    return value.ValueKind == JsonValueKind.Number && IsWhole(value);
                case "boolean":
                    return value.ValueKind == JsonValueKind.True || value.ValueKind == JsonValueKind.False;
                case "object":
                    return value.ValueKind == JsonValueKind.Object;
                case "array":
                    return value.ValueKind == JsonValueKind.Array;
                case "null":
                    return value.ValueKind == JsonValueKind.Null;
                default:
                    return true;
            }
        }

        /// <summary>1, -3 and 2.0 are integers (JSON Schema counts a zero fraction as whole); 2.5 is not.</summary>
        private static bool IsWhole(JsonElement number)
        {
            if (number.TryGetInt64(out _))
            {
                return true;
            }

            if (number.TryGetDecimal(out decimal exact))
            {
                return decimal.Truncate(exact) == exact;
            }

            double approximate = number.GetDouble();
            return !double.IsInfinity(approximate) && Math.Floor(approximate) == approximate;
        }

        /// <summary>JSON equality: numbers by value (1 equals 1.0), objects regardless of key order.</summary>
        internal static bool JsonEquals(JsonElement a, JsonElement b)
        {
            if (a.ValueKind != b.ValueKind)
            {
                return false;
            }

            switch (a.ValueKind)
            {
                case JsonValueKind.String:
                    return a.GetString() == b.GetString();
                case JsonValueKind.Number:
                    return a.TryGetDecimal(out decimal x) && b.TryGetDecimal(out decimal y) ? x == y : a.GetDouble().Equals(b.GetDouble());
                case JsonValueKind.Array:
                    return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray(), JsonEquals).All(same => same);
                case JsonValueKind.Object:
                    var left = a.EnumerateObject().ToList();
                    return left.Count == b.EnumerateObject().Count()
                        && left.All(p => b.TryGetProperty(p.Name, out JsonElement other) && JsonEquals(p.Value, other));
                default:
                    return true;
            }
        }

        private static string Describe(JsonElement type) => type.ValueKind == JsonValueKind.Array
            ? string.Join(" or ", type.EnumerateArray().Select(t => t.ToString()))
            : type.ToString();

        internal static string KindName(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    return "an object";
                case JsonValueKind.Array:
                    return "an array";
                case JsonValueKind.String:
                    return "a string";
                case JsonValueKind.Number:
                    return IsWhole(value) ? "an integer" : "a number";
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return "a boolean";
                case JsonValueKind.Null:
                    return "null";
                default:
                    return "nothing";
            }
        }

        private static string Child(string path, string name) => PlainName.IsMatch(name)
            ? path + "." + name
            : path + "['" + name.Replace("'", "\\'") + "']";

        private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 37) + "...";

        private static void Add(List<string> problems, string path, string problem)
        {
            if (problems.Count < MaxProblems)
            {
                problems.Add(path + ": " + problem);
            }
        }
    }
}
