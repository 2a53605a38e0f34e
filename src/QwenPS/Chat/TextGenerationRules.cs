using System;
using System.Collections.Generic;
using System.Linq;

namespace QwenPS.Chat
{
    /// <summary>
    /// Invoke-QwenChat's checks and adjustments for structured output, partial mode, the context cache and web
    /// search, before anything is sent (docs/dashscope-notes.md): what the service would refuse is refused
    /// here, with a clear message; what it needs (the json word, enable_thinking false) is added.
    /// </summary>
    internal static class TextGenerationRules
    {
        /// <summary>Only the last four cache markers of a request count (docs/dashscope-notes.md, "Context cache").</summary>
        public const int MaxCacheMarkers = 4;

        /// <summary>The messages to send and the enable_thinking value, after the checks.</summary>
        public static (IReadOnlyList<QwenMessage> Messages, bool? EnableThinking) Apply(
            bool jsonOutput,
            JsonSchemaSpec? schema,
            bool stream,
            bool? enableThinking,
            IReadOnlyList<QwenMessage> messages,
            string model,
            Action<string> verbose,
            Action<string> warning)
        {
            bool partial = CheckPartial(messages);
            if (jsonOutput && stream)
            {
                throw Invalid("-Stream cannot be combined with JSON output (-AsJson, -JsonSchema, -AsObject): the objects come once the answer is whole. Use -Live to watch the answer arrive.", model);
            }

            if (jsonOutput)
            {
                enableThinking = ThinkingConflict.Resolve(model, enableThinking, "JSON output", QwenErrorIds.JsonModeWithThinking, verbose);
                if (schema == null)
                {
                    messages = StructuredOutput.EnsureJsonWord(messages, verbose);
                }
                else if (schema.IgnoredKeywords.Count > 0)
                {
                    verbose("The schema uses keywords QwenPS does not check (" + string.Join(", ", schema.IgnoredKeywords) + "): they are sent as given.");
                }
            }

            if (partial)
            {
                enableThinking = ThinkingConflict.Resolve(model, enableThinking, "partial mode", QwenErrorIds.PartialModeWithThinking, verbose);
            }

            return (CapCacheMarkers(messages, warning), enableThinking);
        }

        /// <summary>True when the last message is partial; throws when another one is, or when it is not an assistant message.</summary>
        public static bool CheckPartial(IReadOnlyList<QwenMessage> messages)
        {
            for (int i = 0; i < messages.Count - 1; i++)
            {
                if (messages[i].Partial)
                {
                    throw Invalid("Only the last message can be partial (-Partial): the model continues it. Message " + (i + 1) + " of " + messages.Count + " is partial.", messages[i]);
                }
            }

            QwenMessage? last = messages.Count > 0 ? messages[messages.Count - 1] : null;
            if (last != null && last.Partial && last.RoleValue != QwenRole.Assistant)
            {
                throw Invalid("A partial message must be an assistant message.", last);
            }

            return last?.Partial == true;
        }

        /// <summary>More than four markers: a warning, and only the last four are sent (as the service would count them).</summary>
        public static IReadOnlyList<QwenMessage> CapCacheMarkers(IReadOnlyList<QwenMessage> messages, Action<string> warning)
        {
            int markers = messages.Sum(m => m.Parts.Count(p => p.CacheControl != null));
            if (markers <= MaxCacheMarkers)
            {
                return messages;
            }

            int drop = markers - MaxCacheMarkers;
            warning(markers + " cache markers (-Cache) in one request, but DashScope counts at most four: sending only the last four (the first " + drop + " go without a marker).");
            var result = new List<QwenMessage>(messages.Count);
            foreach (QwenMessage message in messages)
            {
                if (drop == 0 || !message.Parts.Any(p => p.CacheControl != null))
                {
                    result.Add(message);
                    continue;
                }

                var parts = new List<QwenContentPart>(message.Parts.Count);
                foreach (QwenContentPart part in message.Parts)
                {
                    if (part.CacheControl != null && drop > 0)
                    {
                        parts.Add(part.WithoutCache());
                        drop--;
                    }
                    else
                    {
                        parts.Add(part);
                    }
                }

                // A -Cache message is one text part; without its marker it goes back to plain text (sent as a string).
                result.Add(parts.Count == 1 && parts[0].KindValue == QwenContentPartKind.Text && parts[0].CacheControl == null
                    ? new QwenMessage(message.RoleValue, parts[0].Text, message.ToolCallId, message.ToolCalls, message.Partial)
                    : message.WithParts(parts));
            }

            return result;
        }

        /// <summary>-EnableSearch / -SearchOption: the enable_search value to send (null = not asked), after the checks.</summary>
        public static bool? Search(bool? enableSearch, IReadOnlyDictionary<string, object?>? options, string model)
        {
            if (options != null && enableSearch == false)
            {
                throw Invalid("-SearchOption needs web search: leave out -EnableSearch:$false.", model);
            }

            bool? search = options != null ? true : enableSearch;
            if (search == true)
            {
                SearchOptions.Check(options, model);
            }

            return search;
        }

        private static QwenException Invalid(string message, object target) =>
            new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, message) { Target = target };
    }
}
