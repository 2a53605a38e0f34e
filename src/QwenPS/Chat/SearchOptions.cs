using System;
using System.Collections.Generic;
using System.Linq;

namespace QwenPS.Chat
{
    /// <summary>
    /// -SearchOption, checked before anything is sent (docs/dashscope-notes.md, "Web search"): search_strategy is
    /// turbo, max, agent or agent_max, and the agent strategies take no option but enable_source. Other keys are
    /// passed on as given (the service adds options over time).
    /// </summary>
    internal static class SearchOptions
    {
        public static readonly IReadOnlyList<string> Strategies = new[] { "turbo", "max", "agent", "agent_max" };

        public static readonly IReadOnlyList<string> KnownKeys = new[] { "forced_search", "search_strategy", "enable_search_extension", "enable_source" };

        /// <summary>Throws when the search request would be refused; <paramref name="options"/> null = -EnableSearch alone.</summary>
        public static void Check(IReadOnlyDictionary<string, object?>? options, string model)
        {
            if (model.Trim().StartsWith("qwen-long", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid("qwen-long does not search the web: leave -EnableSearch and -SearchOption out, or choose another model.", model);
            }

            if (options == null || !options.TryGetValue("search_strategy", out object? value) || value == null)
            {
                return;
            }

            string strategy = value as string ?? string.Empty;
            if (!Strategies.Contains(strategy, StringComparer.Ordinal))
            {
                throw Invalid("-SearchOption search_strategy must be one of " + string.Join(", ", Strategies) + "; got '" + value + "'.", value);
            }

            string[] others = options.Keys.Where(k => k != "search_strategy" && k != "enable_source").ToArray();
            if (strategy.StartsWith("agent", StringComparison.Ordinal) && others.Length > 0)
            {
                throw Invalid("The " + strategy + " search strategy takes no option but enable_source; remove " + string.Join(", ", others) + ".", strategy);
            }
        }

        private static QwenException Invalid(string message, object target) =>
            new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, message) { Target = target };
    }
}
