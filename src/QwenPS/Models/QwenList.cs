using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace QwenPS
{
    /// <summary>
    /// A read-only list of QwenPS records (a response's History and ToolCalls, a message's ToolCalls) whose text is
    /// its items' text, so Export-Csv, ConvertTo-Csv and string conversion show "user: Hi; assistant: Hello"
    /// instead of a collection type name (a model's Regions and Capabilities join with ", " instead). ConvertTo-Json
    /// still writes an array and -contains still sees the items: everything else is a plain <see cref="ReadOnlyCollection{T}"/>.
    /// </summary>
    public sealed class QwenList<T> : ReadOnlyCollection<T>
    {
        private readonly string _separator;

        internal QwenList(IList<T> items, string separator = "; ")
            : base(items)
        {
            _separator = separator;
        }

        public override string ToString()
        {
            var parts = new string[Count];
            for (int i = 0; i < Count; i++)
            {
                parts[i] = this[i]?.ToString() ?? string.Empty;
            }

            return string.Join(_separator, parts);
        }
    }
}
