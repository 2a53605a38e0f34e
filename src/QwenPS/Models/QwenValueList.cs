using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;

namespace QwenPS
{
    /// <summary>
    /// A read-only list on an output record that exports as users expect: -contains and ForEach-Object see the items,
    /// ConvertTo-Json writes an array, and Export-Csv (which writes ToString()) writes "Beijing, Singapore" rather
    /// than a type name.
    /// </summary>
    public sealed class QwenValueList<T> : ReadOnlyCollection<T>
    {
        internal QwenValueList(IEnumerable<T> items)
            : base(items.ToList())
        {
        }

        public override string ToString()
            => string.Join(", ", this.Select(item => System.Convert.ToString(item, CultureInfo.InvariantCulture)));
    }
}
