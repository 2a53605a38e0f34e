using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using QwenPS.Transport;

namespace QwenPS.Chat
{
    /// <summary>
    /// What -JsonSchema sends as <c>response_format.json_schema</c> (docs/dashscope-notes.md, "Structured
    /// output"): a name (≤ 64 of A-Z a-z 0-9 _ -), an optional description, the schema, and <c>strict: true</c>.
    /// Built from a dictionary, a JSON text or a file; a value with "name" and "schema" keys is taken as the
    /// whole json_schema object, anything else as the schema itself (named after its "title", else "response").
    /// The schema is checked before anything is sent.
    /// </summary>
    internal sealed class JsonSchemaSpec
    {
        public const string DefaultName = "response";

        private static readonly Regex ValidName = new Regex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);
        private static readonly Regex UnsafeNameChars = new Regex("[^A-Za-z0-9_-]+", RegexOptions.CultureInvariant);

        private JsonSchemaSpec(string name, string? description, JsonElement schema, bool strict, IReadOnlyList<string> ignoredKeywords)
        {
            Name = name;
            Description = description;
            Schema = schema;
            Strict = strict;
            IgnoredKeywords = ignoredKeywords;
        }

        public string Name { get; }

        public string? Description { get; }

        public JsonElement Schema { get; }

        public bool Strict { get; }

        /// <summary>Keywords outside the supported subset: sent as given, not checked by QwenPS.</summary>
        public IReadOnlyList<string> IgnoredKeywords { get; }

        /// <summary>From plain values (a dictionary as PowerShellValues.ToPlain gives it).</summary>
        public static JsonSchemaSpec FromDictionary(IDictionary value)
        {
            byte[] json;
            using (var buffer = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    JsonValueWriter.Write(writer, value, "JsonSchema");
                }

                json = buffer.ToArray();
            }

            return FromJson(Encoding.UTF8.GetString(json), "the -JsonSchema hashtable");
        }

        /// <summary>From JSON text; <paramref name="source"/> names it in errors ("the file schema.json").</summary>
        public static JsonSchemaSpec FromJson(string json, string source)
        {
            JsonElement root;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
                {
                    root = document.RootElement.Clone();
                }
            }
            catch (JsonException error)
            {
                throw Invalid(source + " is not valid JSON: " + error.Message, source);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source + " must be a JSON object (a schema), not " + JsonSchemaValidator.KindName(root) + ".", source);
            }

            bool wrapped = root.TryGetProperty("schema", out JsonElement inner) && root.TryGetProperty("name", out _);
            JsonElement schema = wrapped ? inner : root;
            string name = wrapped ? root.GetProperty("name").ToString() : NameFromTitle(schema);
            if (!ValidName.IsMatch(name))
            {
                throw Invalid("The schema name '" + name + "' must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'.", source);
            }

            string? description = wrapped && root.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            bool strict = !(wrapped && root.TryGetProperty("strict", out JsonElement s) && s.ValueKind == JsonValueKind.False);
            var ignored = new List<string>();
            IReadOnlyList<string> problems = JsonSchemaValidator.CheckSchema(schema, ignored);
            if (problems.Count > 0)
            {
                throw Invalid("The schema in " + source + " is not usable: " + string.Join("; ", problems), source);
            }

            if (schema.TryGetProperty("type", out JsonElement type) && !(type.ValueKind == JsonValueKind.String && (type.GetString() == "object" || type.GetString() == "array")))
            {
                throw Invalid("The schema in " + source + " must describe an object or an array (its 'type' is " + type.GetRawText() + ").", source);
            }

            return new JsonSchemaSpec(name, description, schema, strict, ignored);
        }

        /// <summary>The schema's "title" made into a valid name, or "response".</summary>
        private static string NameFromTitle(JsonElement schema)
        {
            if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("title", out JsonElement title) && title.ValueKind == JsonValueKind.String)
            {
                string name = UnsafeNameChars.Replace(title.GetString()!.Trim(), "_").Trim('_');
                if (name.Length > 0)
                {
                    return name.Length > 64 ? name.Substring(0, 64) : name;
                }
            }

            return DefaultName;
        }

        private static QwenException Invalid(string message, string source) =>
            new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, message) { Target = source };

        internal static bool LooksLikeJson(string text)
        {
            string trimmed = text.TrimStart();
            return trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal);
        }
    }
}
