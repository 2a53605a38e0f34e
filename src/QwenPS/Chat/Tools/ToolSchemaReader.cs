using System;
using System.Collections.Generic;
using System.Text.Json;

namespace QwenPS.Chat.Tools
{
    /// <summary>Reads a tool's JSON schema (given by the caller as text or a hashtable, or written by <see cref="ToolSchemaWriter"/>).</summary>
    internal static class ToolSchemaReader
    {
        /// <summary>The schema as given, when it is a JSON object (a "type" of "object" is added when missing); else an error.</summary>
        public static string Normalize(string json, out string? error)
        {
            error = null;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(json))
                {
                    JsonElement root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object)
                    {
                        error = "The parameter schema must be a JSON object, such as {\"type\": \"object\", \"properties\": {...}}.";
                        return json;
                    }

                    if (root.TryGetProperty("type", out JsonElement type))
                    {
                        if (type.ValueKind != JsonValueKind.String || type.GetString() != "object")
                        {
                            error = "The parameter schema must have \"type\": \"object\" (the arguments are named).";
                        }

                        return json;
                    }

                    string rest = root.GetRawText().Trim();
                    return rest == "{}" ? "{\"type\":\"object\"}" : "{\"type\":\"object\"," + rest.Substring(1);
                }
            }
            catch (JsonException parseError)
            {
                error = "The parameter schema is not valid JSON: " + parseError.Message;
                return json;
            }
        }

        /// <summary>A schema given as plain values (a PowerShell hashtable, unwrapped) as JSON text.</summary>
        public static string ToJson(IReadOnlyDictionary<string, object?> schema) =>
            ToolJson.Write(writer => Transport.JsonValueWriter.Write(writer, schema, "Parameter"));

        public static IReadOnlyList<string> Required(string json)
        {
            var names = new List<string>();
            try
            {
                using (JsonDocument document = JsonDocument.Parse(json))
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object
                        && document.RootElement.TryGetProperty("required", out JsonElement required) && required.ValueKind == JsonValueKind.Array)
                    {
                        foreach (JsonElement name in required.EnumerateArray())
                        {
                            if (name.ValueKind == JsonValueKind.String)
                            {
                                names.Add(name.GetString()!);
                            }
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Normalize refused such a schema up front; nothing to require.
            }

            return names;
        }
    }
}
