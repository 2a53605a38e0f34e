using System;

namespace QwenPS
{
    /// <summary>
    /// Finds the final answer of a math model: the inside of the last complete <c>\boxed{…}</c>
    /// (docs/dashscope-notes.md, "Math models"). Braces nest (<c>\boxed{\frac{1}{2}}</c> gives <c>\frac{1}{2}</c>);
    /// escaped braces (<c>\{</c>, <c>\}</c>) are text, not grouping. A box that is never closed (a cut answer) is
    /// skipped in favour of an earlier complete one.
    /// </summary>
    internal static class BoxedAnswer
    {
        private const string Command = "\\boxed";

        /// <summary>The trimmed inside of the last complete box, or null when there is none.</summary>
        public static string? Extract(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            int searchFrom = text!.Length - 1;
            while (searchFrom >= 0)
            {
                int at = text.LastIndexOf(Command, searchFrom, StringComparison.Ordinal);
                if (at < 0)
                {
                    return null;
                }

                string? inside = ReadGroup(text, at + Command.Length);
                if (inside != null)
                {
                    return inside.Trim();
                }

                searchFrom = at - 1;
            }

            return null;
        }

        /// <summary>The text of the brace group that starts at <paramref name="start"/> (after optional spaces), or null.</summary>
        private static string? ReadGroup(string text, int start)
        {
            int i = start;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length || text[i] != '{')
            {
                return null;
            }

            int open = i;
            int depth = 0;
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\\')
                {
                    i++;
                    continue;
                }

                if (c == '{')
                {
                    depth++;
                }
                else if (c == '}')
                {
                    depth--;
                    if (depth == 0)
                    {
                        return text.Substring(open + 1, i - open - 1);
                    }
                }
            }

            return null;
        }
    }
}
