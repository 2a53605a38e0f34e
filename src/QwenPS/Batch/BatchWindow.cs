using System.Globalization;

namespace QwenPS.Batch
{
    /// <summary>The completion window: hours or days, 24h to 336h (docs/dashscope-notes.md, "Batch").</summary>
    internal static class BatchWindow
    {
        public static void Check(string window)
        {
            string text = window ?? string.Empty;
            int hours = -1;
            if (text.Length >= 2 && int.TryParse(text.Substring(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int amount))
            {
                char unit = text[text.Length - 1];
                hours = unit == 'h' ? amount : unit == 'd' && amount <= 14 ? amount * 24 : -1;
            }

            if (hours < 24 || hours > 336)
            {
                throw new QwenException(
                    QwenErrorIds.InvalidArgument,
                    QwenErrorCategory.InvalidArgument,
                    "-CompletionWindow '" + text + "' is not a window DashScope accepts: hours or days from 24h to 336h, such as 24h, 72h or 14d.") { Target = window };
            }
        }
    }
}
