using System;
using System.Collections.Generic;

namespace QwenPS.Chat
{
    /// <summary>
    /// The request side of -AsJson / -JsonSchema (docs/dashscope-notes.md, "Structured output"): the
    /// <c>response_format</c> object, and the "json" word that JSON object mode needs in a system or user message.
    /// </summary>
    internal static class StructuredOutput
    {
        /// <summary>The system message added when no system or user message mentions JSON.</summary>
        public const string JsonInstruction = "Reply with JSON.";

        /// <summary>True when a system or user message contains "json" in any letter case (what the service checks).</summary>
        public static bool MentionsJson(IEnumerable<QwenMessage> messages)
        {
            foreach (QwenMessage message in messages)
            {
                if ((message.RoleValue == QwenRole.System || message.RoleValue == QwenRole.User)
                    && message.Content != null
                    && message.Content.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The messages to send in JSON object mode: unchanged when one mentions JSON, else with
        /// <see cref="JsonInstruction"/> as a system message after the leading system messages (so a system
        /// prompt and qwen-long document references stay first).
        /// </summary>
        public static IReadOnlyList<QwenMessage> EnsureJsonWord(IReadOnlyList<QwenMessage> messages, Action<string> verbose)
        {
            if (MentionsJson(messages))
            {
                return messages;
            }

            int at = 0;
            while (at < messages.Count && messages[at].RoleValue == QwenRole.System)
            {
                at++;
            }

            verbose("JSON object mode needs the word \"json\" in a system or user message: adding the system message \"" + JsonInstruction + "\".");
            var result = new List<QwenMessage>(messages.Count + 1);
            result.AddRange(messages);
            result.Insert(at, new QwenMessage(QwenRole.System, JsonInstruction));
            return result;
        }

        /// <summary>The response_format value: <c>{"type":"json_object"}</c>, or the json_schema form for <paramref name="schema"/>.</summary>
        public static IDictionary<string, object?> ResponseFormat(JsonSchemaSpec? schema)
        {
            if (schema == null)
            {
                return new Dictionary<string, object?> { ["type"] = "json_object" };
            }

            var spec = new Dictionary<string, object?> { ["name"] = schema.Name };
            if (schema.Description != null)
            {
                spec["description"] = schema.Description;
            }

            spec["schema"] = schema.Schema;
            spec["strict"] = schema.Strict;
            return new Dictionary<string, object?> { ["type"] = "json_schema", ["json_schema"] = spec };
        }
    }
}
