using System;
using QwenPS.Engine;

namespace QwenPS.Chat
{
    /// <summary>
    /// JSON mode and partial mode work only while the model does not think (docs/dashscope-notes.md,
    /// "Structured output", "Partial mode"). This decides the enable_thinking to send for them, or refuses
    /// the call before anything is sent.
    /// </summary>
    internal static class ThinkingConflict
    {
        /// <summary>
        /// The enable_thinking value to send when <paramref name="feature"/> ("JSON output", "partial mode") is on:
        /// false for a hybrid model that thinks by default and was not told; the user's value otherwise.
        /// Throws <paramref name="errorId"/> when thinking was asked for or the model always thinks.
        /// </summary>
        public static bool? Resolve(string model, bool? enableThinking, string feature, string errorId, Action<string> verbose)
        {
            if (enableThinking == true)
            {
                throw new QwenException(
                    errorId,
                    QwenErrorCategory.InvalidArgument,
                    "-EnableThinking cannot be combined with " + feature + ": DashScope answers with " + feature + " only while the model does not think. Leave -EnableThinking out.")
                { Target = model };
            }

            if (ModelCatalog.AlwaysThinks(model))
            {
                throw new QwenException(
                    errorId,
                    QwenErrorCategory.InvalidArgument,
                    model + " always thinks, and DashScope answers with " + feature + " only while the model does not think. Choose a model that can answer without thinking (for example qwen-plus or qwen3.5-plus).")
                { Target = model };
            }

            if (enableThinking == null && ModelCatalog.ThinksByDefault(model))
            {
                verbose(model + " thinks by default, which " + feature + " does not allow: sending enable_thinking false.");
                return false;
            }

            return enableThinking;
        }
    }
}
