using System.Collections.Generic;
using System.Text.Json;

namespace QwenPS.Chat
{
    /// <summary>
    /// Reads a structured-output answer (docs/dashscope-notes.md, "Structured output"): the JSON arrives as text
    /// in the content; an answer cut by max_tokens (finish_reason "length") is incomplete; with a schema the
    /// value must conform to it. The problem text is what the repair request tells the model.
    /// </summary>
    internal static class JsonAnswerCheck
    {
        public const string RepairInstruction = "Reply again with only the corrected JSON.";

        /// <summary>Null and the parsed value when the answer is usable; otherwise what is wrong with it.</summary>
        public static string? Problem(string? text, string? finishReason, JsonSchemaSpec? spec, out JsonElement value)
        {
            value = default;
            if (finishReason == "length")
            {
                return "The answer was cut off at the token limit (finish_reason length), so its JSON is incomplete.";
            }

            try
            {
                using (JsonDocument document = JsonDocument.Parse(text ?? string.Empty))
                {
                    value = document.RootElement.Clone();
                }
            }
            catch (JsonException error)
            {
                return "The answer is not valid JSON: " + error.Message;
            }

            if (HasEmptyName(value))
            {
                // ConvertFrom-Json refuses these too: a PowerShell object cannot have a property without a name.
                return "The answer has a property whose name is empty, which a PowerShell object cannot hold.";
            }

            if (spec == null)
            {
                return null;
            }

            IReadOnlyList<string> problems = JsonSchemaValidator.Validate(value, spec.Schema);
            return problems.Count == 0 ? null : "The answer does not match the JSON schema: " + string.Join("; ", problems) + ".";
        }

        private static bool HasEmptyName(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (JsonProperty property in value.EnumerateObject())
                    {
                        if (property.Name.Length == 0 || HasEmptyName(property.Value))
                        {
                            return true;
                        }
                    }

                    return false;
                case JsonValueKind.Array:
                    foreach (JsonElement item in value.EnumerateArray())
                    {
                        if (HasEmptyName(item))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }

        /// <summary>The user message of a repair request: the problem, then the instruction (which says "JSON",
        /// so json_object mode's keyword rule still holds).</summary>
        public static string RepairPrompt(string problem) => "Your previous answer could not be used. " + problem + " " + RepairInstruction;
    }
}
