using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace QwenPS.Chat.Tools
{
    /// <summary>The arguments of a tool call shown as the command line it runs (read by <see cref="ToolArgumentReader"/>).</summary>
    internal static class ToolArguments
    {
        /// <summary>The call as it would be typed: <c>Get-Service -Name spooler -DependentServices</c>.</summary>
        public static string FormatCommandLine(string command, IDictionary? arguments, Func<string, bool>? isSwitch = null)
        {
            var line = new System.Text.StringBuilder(command);
            if (arguments == null)
            {
                return line.ToString();
            }

            foreach (DictionaryEntry entry in arguments)
            {
                string name = System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                line.Append(" -").Append(name);
                if (entry.Value is bool flag && isSwitch != null && isSwitch(name))
                {
                    if (!flag)
                    {
                        line.Append(":$false");
                    }

                    continue;
                }

                line.Append(entry.Value is bool ? ":" : " ").Append(FormatValue(entry.Value));
            }

            return line.ToString();
        }

        private static string FormatValue(object? value)
        {
            switch (value)
            {
                case null:
                    return "$null";
                case bool flag:
                    return flag ? "$true" : "$false";
                case string text:
                    return Quote(text);
                case IDictionary table:
                    var pairs = new List<string>();
                    foreach (DictionaryEntry entry in table)
                    {
                        pairs.Add(Quote(System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty) + " = " + FormatValue(entry.Value));
                    }

                    return "@{" + string.Join("; ", pairs) + "}";
                case IEnumerable sequence:
                    var parts = new List<string>();
                    foreach (object? item in sequence)
                    {
                        parts.Add(FormatValue(item));
                    }

                    return parts.Count == 0 ? "@()" : string.Join(",", parts);
                case IFormattable number:
                    return number.ToString(null, CultureInfo.InvariantCulture);
                default:
                    return Quote(value.ToString() ?? string.Empty);
            }
        }

        /// <summary>Bare when PowerShell would read it back unchanged as one string; otherwise single-quoted.</summary>
        private static string Quote(string text)
        {
            bool bare = text.Length > 0 && !char.IsDigit(text[0]) && text[0] != '-';
            foreach (char c in text)
            {
                if (!(char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '\\' || c == '/' || c == ':' || c == '*'))
                {
                    bare = false;
                    break;
                }
            }

            return bare ? text : "'" + text.Replace("'", "''") + "'";
        }
    }
}
