using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace QwenPS.Commands
{
    /// <summary>Unwraps PowerShell values (PSObject, [pscustomobject], hashtables) into plain .NET values for JSON.</summary>
    internal static class PowerShellValues
    {
        public static IReadOnlyDictionary<string, object?> ToDictionary(IDictionary table)
        {
            var result = new Dictionary<string, object?>();
            foreach (DictionaryEntry entry in table)
            {
                result[entry.Key.ToString() ?? string.Empty] = ToPlain(entry.Value);
            }

            return result;
        }

        public static object? ToPlain(object? value)
        {
            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject)
                {
                    var properties = new Dictionary<string, object?>();
                    foreach (PSPropertyInfo property in wrapped.Properties)
                    {
                        properties[property.Name] = ToPlain(property.Value);
                    }

                    return properties;
                }

                value = wrapped.BaseObject;
            }

            switch (value)
            {
                case null:
                case string _:
                    return value;
                case SwitchParameter flag:
                    return flag.IsPresent;
                case IDictionary dictionary:
                    return ToDictionary(dictionary);
                case IEnumerable sequence:
                    var list = new List<object?>();
                    foreach (object? item in sequence)
                    {
                        list.Add(ToPlain(item));
                    }

                    return list;
                default:
                    return value;
            }
        }
    }
}
