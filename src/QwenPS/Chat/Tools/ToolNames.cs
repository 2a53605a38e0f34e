using System.Text;

namespace QwenPS.Chat.Tools
{
    /// <summary>DashScope's rule for function names: 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'
    /// (docs/dashscope-notes.md, "Function calling").</summary>
    internal static class ToolNames
    {
        public const int MaxLength = 64;

        public static bool IsValid(string? name)
        {
            if (string.IsNullOrEmpty(name) || name!.Length > MaxLength)
            {
                return false;
            }

            foreach (char c in name)
            {
                if (!IsAllowed(c))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A valid name for a command: other characters become '_' (Module\Verb-Noun → Module_Verb-Noun), cut to 64.</summary>
        public static string FromCommandName(string commandName)
        {
            var name = new StringBuilder(commandName.Length);
            foreach (char c in commandName)
            {
                name.Append(IsAllowed(c) ? c : '_');
                if (name.Length == MaxLength)
                {
                    break;
                }
            }

            return name.Length == 0 ? "_" : name.ToString();
        }

        private static bool IsAllowed(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
