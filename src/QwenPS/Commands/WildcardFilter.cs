using System;
using System.Linq;
using System.Management.Automation;

namespace QwenPS.Commands
{
    /// <summary>Turns -Name/-Model/-Family wildcard lists into the plain predicates the engine filters with.</summary>
    internal static class WildcardFilter
    {
        /// <summary>A case-insensitive match against any of <paramref name="patterns"/>; null (no filter) for null.</summary>
        public static Func<string, bool>? For(string[]? patterns)
        {
            if (patterns == null)
            {
                return null;
            }

            WildcardPattern[] compiled = patterns.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToArray();
            return value => compiled.Any(p => p.IsMatch(value));
        }
    }
}
