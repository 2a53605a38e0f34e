using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace QwenPS.Commands
{
    /// <summary>
    /// -Term and -TranslationMemory as source → target pairs: a hashtable (@{ '工单' = 'ticket' }, one pair per key), or
    /// objects with Source and Target properties (Import-Csv rows, [pscustomobject]s, hashtables with those keys).
    /// </summary>
    internal static class TranslationPairs
    {
        public static IReadOnlyList<KeyValuePair<string, string>> From(object[]? values, string parameter)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (object? raw in values ?? Array.Empty<object>())
            {
                object? value = raw is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : raw;
                if (value is IDictionary table && !HasSourceAndTarget(table))
                {
                    foreach (DictionaryEntry entry in table)
                    {
                        pairs.Add(new KeyValuePair<string, string>(Text(entry.Key), Text(entry.Value)));
                    }

                    continue;
                }

                object? source = Property(value, "Source");
                object? target = Property(value, "Target");
                if (source == null || target == null)
                {
                    throw new QwenException(
                        QwenErrorIds.InvalidArgument,
                        QwenErrorCategory.InvalidType,
                        "-" + parameter + " takes a hashtable of source = target pairs, or objects with Source and Target properties; got " + (value?.GetType().FullName ?? "null") + ".") { Target = value };
                }

                pairs.Add(new KeyValuePair<string, string>(Text(source), Text(target)));
            }

            return pairs;
        }

        private static bool HasSourceAndTarget(IDictionary table) =>
            table.Keys.Cast<object>().Any(k => string.Equals(k?.ToString(), "Source", StringComparison.OrdinalIgnoreCase))
            && table.Keys.Cast<object>().Any(k => string.Equals(k?.ToString(), "Target", StringComparison.OrdinalIgnoreCase));

        private static object? Property(object? value, string name)
        {
            if (value is IDictionary table)
            {
                foreach (DictionaryEntry entry in table)
                {
                    if (string.Equals(entry.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase))
                    {
                        return entry.Value;
                    }
                }

                return null;
            }

            return value == null ? null : PSObject.AsPSObject(value).Properties[name]?.Value;
        }

        private static string Text(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value)?.ToString() ?? string.Empty;
    }
}
