using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace QwenPS.Tests.Faults
{
    /// <summary>docs/reliability.md stays the list of the fault suite: every case and every error id is in it.</summary>
    public sealed class ReliabilityDocTests
    {
        private static readonly string Doc = File.ReadAllText(TestPaths.Combine("docs", "reliability.md"));

        [Fact]
        public void Every_fault_case_is_listed_in_the_reliability_doc()
        {
            string[] cases = typeof(ReliabilityDocTests).Assembly.GetTypes()
                .Where(t => t.Namespace == typeof(ReliabilityDocTests).Namespace && t != typeof(ReliabilityDocTests))
                .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly))
                .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
                .Select(m => m.Name)
                .ToArray();

            Assert.True(cases.Length > 100, cases.Length + " cases found");
            string[] missing = cases.Where(name => !Doc.Contains("`" + name + "`", System.StringComparison.Ordinal)).ToArray();
            Assert.True(missing.Length == 0, "Not in docs/reliability.md: " + string.Join(", ", missing));
        }

        [Fact]
        public void Every_error_id_is_in_the_reliability_doc_table()
        {
            string[] ids = typeof(QwenErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToArray();
            string[] missing = ids.Where(id => !Doc.Contains("| `" + id + "` |", System.StringComparison.Ordinal)).ToArray();
            Assert.True(missing.Length == 0, "Not in the error id table: " + string.Join(", ", missing));
        }
    }
}
