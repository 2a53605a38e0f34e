using System;

namespace QwenPS.Chat.Tools
{
    /// <summary>
    /// tool_choice: "auto" (the default) or "none", or the name of the one function the model must call
    /// (docs/dashscope-notes.md, "Function calling").
    /// </summary>
    internal static class ToolChoices
    {
        public const string Auto = "auto";
        public const string None = "none";

        /// <summary>True for a choice that names a function (rather than auto or none).</summary>
        public static bool IsNamed(string? choice) =>
            choice != null && !string.Equals(choice, Auto, StringComparison.OrdinalIgnoreCase) && !string.Equals(choice, None, StringComparison.OrdinalIgnoreCase);

        /// <summary>auto and none in lower case (as the service spells them); a name as it is.</summary>
        public static string Normalize(string choice) => IsNamed(choice) ? choice : choice.ToLowerInvariant();

        /// <summary>The choice for request <paramref name="round"/> of a loop: a named function is forced only on the first
        /// request; the later ones send auto, or the model is pushed to call it again instead of answering.</summary>
        public static string? ForRound(string? choice, int round) => round > 0 && IsNamed(choice) ? Auto : choice;
    }
}
