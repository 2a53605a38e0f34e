using System;

namespace QwenPS.Engine
{
    /// <summary>
    /// The habits that change how QwenPS calls a model, read from its name so they hold for models the catalog does not
    /// list too (docs/dashscope-notes.md, "Streamed-only and thinking models"): QwQ, QVQ and Omni models answer only when
    /// streamed. The names QwenPS knows (tab completion, Get-QwenModel) come from the catalog, Catalog/qwen-models.json.
    /// </summary>
    internal static class ModelCatalog
    {
        public const string DefaultModel = "qwen-plus";

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
    }
}
