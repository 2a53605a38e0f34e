using System;
using System.Collections.Generic;
using System.Linq;

namespace QwenPS.Engine
{
    /// <summary>
    /// The models QwenPS knows by name (for tab completion) and the habits that change how it calls them
    /// (docs/dashscope-notes.md, "Streamed-only and thinking models"): QwQ, QVQ and Omni models answer only when streamed.
    /// </summary>
    internal static class ModelCatalog
    {
        public const string DefaultModel = "qwen-plus";

        public static readonly IReadOnlyList<string> KnownModels = new[]
        {
            "qwen-plus", "qwen-plus-latest", "qwen-max", "qwen-max-latest", "qwen-flash", "qwen-turbo", "qwen-turbo-latest",
            "qwen3-max", "qwen3.5-plus", "qwen3.5-flash",
            "qwq-plus", "qwq-plus-latest", "qwq-32b",
            "qwen-long", "qwen-long-latest",
            "qwen3-235b-a22b", "qwen3-32b", "qwen3-30b-a3b", "qwen3-next-80b-a3b-thinking", "qwen3-235b-a22b-thinking-2507",
            "qwen3-coder-plus", "qwen3-coder-flash", "qwen-coder-turbo",
            "qwen-mt-plus", "qwen-mt-turbo", "qwen-mt-flash",
            "qwen3-vl-plus", "qwen3-vl-flash", "qwen-vl-max", "qwen-vl-plus", "qvq-max",
            "qwen-omni-turbo", "qwen3-omni-flash",
            "qwen-math-plus", "qwen-math-turbo",
        };

        /// <summary>QwQ, QVQ and Omni reject non-streamed calls (docs/dashscope-notes.md, "Streamed-only and thinking models"): QwenPS streams them and aggregates.</summary>
        public static bool IsStreamOnly(string model)
        {
            string name = model.Trim().ToLowerInvariant();
            return name.StartsWith("qwq", StringComparison.Ordinal)
                || name.StartsWith("qvq", StringComparison.Ordinal)
                || name.Contains("omni");
        }

        /// <summary>
        /// Models that think unless told not to (docs/dashscope-notes.md, "Streamed-only and thinking models"): the Qwen3 open-source hybrids (which refuse
        /// non-streamed calls while thinking), Qwen3.5 and later, and the thinking-only variants.
        /// </summary>
        public static bool ThinksByDefault(string model)
        {
            string name = model.Trim().ToLowerInvariant();
            if (name.Contains("thinking") || name.StartsWith("qwen3.", StringComparison.Ordinal))
            {
                return true;
            }

            // qwen3-32b, qwen3-235b-a22b, qwen3-30b-a3b...: a size suffix marks the open-source models.
            return System.Text.RegularExpressions.Regex.IsMatch(name, @"^qwen3-\d+(\.\d+)?b(-a\d+(\.\d+)?b)?$");
        }

        /// <summary>Models that cannot answer without thinking (docs/dashscope-notes.md, "Streamed-only and thinking models"): QwQ, QVQ and the *-thinking variants.</summary>
        public static bool AlwaysThinks(string model)
        {
            string name = model.Trim().ToLowerInvariant();
            return name.StartsWith("qwq", StringComparison.Ordinal)
                || name.StartsWith("qvq", StringComparison.Ordinal)
                || name.Contains("thinking");
        }

        /// <summary>Known models starting with <paramref name="prefix"/> (case-insensitive), in catalog order.</summary>
        public static IEnumerable<string> Complete(string? prefix)
        {
            string start = (prefix ?? string.Empty).Trim('\'', '"');
            return KnownModels.Where(m => m.StartsWith(start, StringComparison.OrdinalIgnoreCase));
        }
    }
}
