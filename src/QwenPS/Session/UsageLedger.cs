using System.Runtime.CompilerServices;

namespace QwenPS.Session
{
    /// <summary>
    /// Per-runspace usage sums (Get-QwenUsage), keyed like <see cref="ConnectionStore"/> by the runspace object,
    /// weakly: each runspace counts only its own calls, and a closed runspace's book is collected with it.
    /// </summary>
    internal static class UsageLedger
    {
        private static readonly ConditionalWeakTable<object, UsageBook> Books = new ConditionalWeakTable<object, UsageBook>();

        /// <summary>The book of <paramref name="scope"/>, created on first use (thread-safe).</summary>
        public static UsageBook For(object scope) => Books.GetValue(scope, _ => new UsageBook());
    }
}
