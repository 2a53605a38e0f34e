using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace QwenPS.Commands
{
    /// <summary>
    /// Unwraps PowerShell values (PSObject, [pscustomobject], hashtables) into plain .NET values for JSON. The
    /// depth is bounded (<see cref="MaxDepth"/>, as the JSON writer's) and a value that contains itself is refused:
    /// without both, a cyclic hashtable or 100,000 nesting levels overflowed the stack and killed the process.
    /// </summary>
    internal static class PowerShellValues
    {
        internal const int MaxDepth = 32;

        public static IReadOnlyDictionary<string, object?> ToDictionary(IDictionary table, string path = "")
        {
            var ancestors = new HashSet<object>(ReferenceComparer.Instance) { table };
            return Dictionary(table, path, 0, ancestors);
        }

        public static object? ToPlain(object? value) => ToPlain(value, string.Empty, 0, new HashSet<object>(ReferenceComparer.Instance));

        private static Dictionary<string, object?> Dictionary(IDictionary table, string path, int depth, HashSet<object> ancestors)
        {
            var result = new Dictionary<string, object?>();
            foreach (DictionaryEntry entry in table)
            {
                string key = entry.Key?.ToString() ?? string.Empty;
                result[key] = ToPlain(entry.Value, Join(path, key), depth + 1, ancestors);
            }

            return result;
        }

        private static object? ToPlain(object? value, string path, int depth, HashSet<object> ancestors)
        {
            if (depth > MaxDepth)
            {
                throw Invalid(path, "is nested more than " + MaxDepth + " levels deep");
            }

            object? unwrapped = value is PSObject wrapper && !(wrapper.BaseObject is PSCustomObject) ? wrapper.BaseObject : value;
            if (unwrapped is SwitchParameter flag)
            {
                return flag.IsPresent;
            }

            if (unwrapped == null || unwrapped is string || unwrapped.GetType().IsValueType)
            {
                return unwrapped;
            }

            if (!ancestors.Add(unwrapped))
            {
                throw Invalid(path, "contains itself (a cycle): JSON cannot express it");
            }

            try
            {
                switch (unwrapped)
                {
                    case PSObject custom:
                        var properties = new Dictionary<string, object?>();
                        foreach (PSPropertyInfo property in custom.Properties)
                        {
                            properties[property.Name] = ToPlain(property.Value, Join(path, property.Name), depth + 1, ancestors);
                        }

                        return properties;
                    case IDictionary dictionary:
                        return Dictionary(dictionary, path, depth, ancestors);
                    case IEnumerable sequence:
                        var list = new List<object?>();
                        foreach (object? item in sequence)
                        {
                            list.Add(ToPlain(item, path + "[" + list.Count.ToString(CultureInfo.InvariantCulture) + "]", depth + 1, ancestors));
                        }

                        return list;
                    default:
                        return unwrapped;
                }
            }
            finally
            {
                ancestors.Remove(unwrapped);
            }
        }

        private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

        private static QwenException Invalid(string path, string problem) =>
            new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "The additional parameter '" + path + "' " + problem + ".") { Target = path };

        private sealed class ReferenceComparer : IEqualityComparer<object>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

            public int GetHashCode(object obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}
