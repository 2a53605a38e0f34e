using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace QwenPS.Tests.Metadata
{
    /// <summary>How the public records look to ConvertTo-Json and Export-Csv (issue 14, item 24).</summary>
    public class OutputShapeTests
    {
        /// <summary>
        /// ConvertTo-Json (Windows PowerShell 5.1 and PowerShell 7 without -EnumsAsStrings) writes an enum property as
        /// its number: a saved conversation would read "Role": 2. Every record therefore exposes such values as text and
        /// keeps the enum internal. Enums stay public where they are parameter types (-Role, -Region...).
        /// </summary>
        [Fact]
        public void No_public_record_has_an_enum_valued_property()
        {
            var offenders = RecordTypes()
                .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (Type: t, Property: p)))
                .Where(x => (Nullable.GetUnderlyingType(x.Property.PropertyType) ?? x.Property.PropertyType).IsEnum)
                .Select(x => x.Type.Name + "." + x.Property.Name)
                .ToList();

            Assert.Empty(offenders);
        }

        /// <summary>The public classes of namespace QwenPS except the exception (its Category mirrors PowerShell's
        /// ErrorCategory, an enum in every ErrorRecord anyway). The cmdlets (in QwenPS.Commands) derive from PowerShell types,
        /// which this test host cannot load: the types that fail to load are not records.</summary>
        private static Type[] RecordTypes()
        {
            Type?[] types;
            try
            {
                types = typeof(QwenMessage).Assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException partial)
            {
                types = partial.Types;
            }

            Type[] records = types.Where(t => t != null && t.IsPublic && t.IsClass && t.Namespace == "QwenPS" && !typeof(Exception).IsAssignableFrom(t)).Select(t => t!).ToArray();
            Assert.Contains(typeof(QwenChatResponse), records);
            return records;
        }
    }
}
