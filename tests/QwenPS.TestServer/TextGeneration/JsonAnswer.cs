using System.Globalization;
using System.Linq;
using System.Text.Json;
using QwenPS.TestServer.Json;

namespace QwenPS.TestServer.TextGeneration;

/// <summary>
/// The deterministic JSON answers of the structured-output modes (docs/dashscope-notes.md, "Structured output"):
/// json_object → <c>{"answer":"Answer to: U"}</c>; json_schema → an instance built from the schema
/// (every property in order; strings are the property name plus a 1-based position, integers the position,
/// numbers the position + 0.5, booleans true, enums their first value, arrays two items).
/// </summary>
internal static class JsonAnswer
{
    private const int MaxDepth = 16;

    public static string ForObjectMode(string answer) => new JsonBuilder().BeginObject().Prop("answer", answer).EndObject().ToString();

    /// <summary>An instance of <paramref name="schema"/>; with <paramref name="violate"/>, one that breaks it
    /// (the root object loses its first required property and gains "unexpected"; a scalar gets the wrong type).</summary>
    public static string ForSchema(JsonElement schema, bool violate = false)
    {
        var json = new JsonBuilder();
        Write(json, schema, "item", 1, 0, violate);
        return json.ToString();
    }

    private static void Write(JsonBuilder json, JsonElement schema, string name, int position, int depth, bool violate)
    {
        if (depth > MaxDepth || schema.ValueKind != JsonValueKind.Object)
        {
            json.Null();
            return;
        }

        if (schema.TryGetProperty("enum", out JsonElement values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            if (violate)
            {
                json.String("not-in-enum");
            }
            else
            {
                json.Raw(values[0].GetRawText());
            }

            return;
        }

        switch (TypeOf(schema))
        {
            case "object":
                WriteObject(json, schema, position, depth, violate);
                break;
            case "array":
                json.BeginArray();
                JsonElement items = schema.TryGetProperty("items", out JsonElement i) ? i : default;
                for (int n = 1; n <= 2; n++)
                {
                    Write(json, items, name, n, depth + 1, violate && n == 1);
                }

                json.EndArray();
                break;
            case "string":
                if (violate)
                {
                    json.Number(position);
                }
                else
                {
                    json.String(name + " " + position.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case "integer":
                if (violate)
                {
                    json.String("not a number");
                }
                else
                {
                    json.Number(position);
                }

                break;
            case "number":
                if (violate)
                {
                    json.String("not a number");
                }
                else
                {
                    json.Raw(position.ToString(CultureInfo.InvariantCulture) + ".5");
                }

                break;
            case "boolean":
                if (violate)
                {
                    json.String("yes");
                }
                else
                {
                    json.Bool(true);
                }

                break;
            default:
                json.Null();
                break;
        }
    }

    private static void WriteObject(JsonBuilder json, JsonElement schema, int position, int depth, bool violate)
    {
        json.BeginObject();
        string? dropped = null;
        if (violate && schema.TryGetProperty("required", out JsonElement required) && required.ValueKind == JsonValueKind.Array && required.GetArrayLength() > 0)
        {
            dropped = required[0].GetString();
        }

        if (schema.TryGetProperty("properties", out JsonElement properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in properties.EnumerateObject())
            {
                if (property.Name == dropped)
                {
                    continue;
                }

                json.Name(property.Name);
                Write(json, property.Value, property.Name, position, depth + 1, violate: false);
            }
        }

        if (violate)
        {
            json.Prop("unexpected", true);
        }

        json.EndObject();
    }

    /// <summary>"type" as a string, or the first non-null entry of a type array; null when absent.</summary>
    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out JsonElement type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : null;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString();
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
            : null;
    }

    /// <summary>Inserts a comma before the final character: <c>{"a":1,}</c> is not JSON.</summary>
    public static string Invalid(string json) => json.Length == 0 ? "{" : json.Substring(0, json.Length - 1) + "," + json[^1];

    /// <summary>The first half (rounded up), as when max_tokens cuts the answer.</summary>
    public static string Truncated(string json) => json.Substring(0, (json.Length + 1) / 2);
}
