using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace QwenPS.Tests.Metadata
{
    /// <summary>Every cmdlet has a PlatyPS page (schema 2.0.0) documenting every parameter, with examples.</summary>
    public class DocsCoverageTests
    {
        private static readonly ModuleMetadata Meta = ModuleMetadata.Instance;

        private static string Docs(string name) => TestPaths.Combine("docs", "en-US", name);

        public static IEnumerable<object[]> CmdletNames => ModuleMetadata.Instance.Cmdlets.Select(c => new object[] { c.Name });

        [Theory]
        [MemberData(nameof(CmdletNames))]
        public void Every_cmdlet_has_a_complete_help_page(string cmdlet)
        {
            string path = Docs(cmdlet + ".md");
            Assert.True(File.Exists(path), "missing " + path);
            string text = File.ReadAllText(path);

            Assert.Matches(@"^---\s*\r?\nexternal help file: QwenPS\.dll-Help\.xml\r?\nModule Name: QwenPS\r?\n", text);
            Assert.Contains("schema: 2.0.0", text);
            Assert.Contains("# " + cmdlet, text);
            foreach (string section in new[] { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" })
            {
                Assert.Matches(new Regex(@"^## " + section + @"\s*$", RegexOptions.Multiline), text);
            }

            string synopsis = Regex.Match(text, @"## SYNOPSIS\s*\r?\n(?<s>[^\r\n#]+)").Groups["s"].Value.Trim();
            Assert.False(string.IsNullOrWhiteSpace(synopsis), cmdlet + " has no synopsis");
            int examples = Regex.Matches(text, @"^### Example \d+", RegexOptions.Multiline).Count;
            Assert.True(examples >= 2, cmdlet + " has " + examples + " example(s)");
            Assert.Contains("### CommonParameters", text);
        }

        [Theory]
        [MemberData(nameof(CmdletNames))]
        public void Every_parameter_is_documented_and_no_stale_parameter_is(string cmdlet)
        {
            CmdletInfo info = Meta.Cmdlets.Single(c => c.Name == cmdlet);
            string text = File.ReadAllText(Docs(cmdlet + ".md"));
            var documented = Regex.Matches(text, @"^### -(?<name>\w+)\s*$", RegexOptions.Multiline).Select(m => m.Groups["name"].Value).ToHashSet();
            var expected = info.Parameters.Select(p => p.Name).ToHashSet();
            if (info.SupportsShouldProcess)
            {
                expected.Add("WhatIf");
                expected.Add("Confirm");
            }

            if (info.SupportsPaging)
            {
                expected.UnionWith(new[] { "First", "Skip", "IncludeTotalCount" });
            }

            Assert.Empty(expected.Except(documented));
            Assert.Empty(documented.Except(expected));
            foreach (string name in expected)
            {
                Assert.Matches(new Regex(@"### -" + name + @"\s*\r?\n(?:(?!### ).)*?```yaml\s*\r?\nType: ", RegexOptions.Singleline), text);
            }
        }

        /// <summary>Get-Help shows the yaml block's fields as they are written, so they must say what the binder does.</summary>
        [Theory]
        [MemberData(nameof(CmdletNames))]
        public void Every_parameter_block_matches_the_compiled_parameter(string cmdlet)
        {
            CmdletInfo info = Meta.Cmdlets.Single(c => c.Name == cmdlet);
            string text = File.ReadAllText(Docs(cmdlet + ".md"));
            foreach (ParameterInfo parameter in info.Parameters)
            {
                IReadOnlyDictionary<string, string> yaml = YamlBlock(text, parameter.Name);
                Type type = Nullable.GetUnderlyingType(parameter.Property.PropertyType) ?? parameter.Property.PropertyType;
                Assert.True(type.Name == yaml["Type"], cmdlet + " -" + parameter.Name + ": Type " + yaml["Type"] + ", compiled " + type.Name);

                List<string?> setNames = parameter.ParameterAttributes.Select(a => NamedValue(a, "ParameterSetName") as string).ToList();
                string sets = setNames.Any(n => n == null || n == "__AllParameterSets") ? "(All)" : string.Join(", ", setNames.OrderBy(n => n, StringComparer.Ordinal));
                Assert.True(sets == Sorted(yaml["Parameter Sets"]), cmdlet + " -" + parameter.Name + ": Parameter Sets " + yaml["Parameter Sets"] + ", compiled " + sets);

                Assert.True(string.Join(", ", parameter.Aliases.OrderBy(a => a, StringComparer.Ordinal)) == Sorted(yaml["Aliases"]), cmdlet + " -" + parameter.Name + ": Aliases " + yaml["Aliases"]);

                bool[] mandatory = parameter.ParameterAttributes.Select(a => NamedValue(a, "Mandatory") is true).Distinct().ToArray();
                Assert.True(mandatory.Length == 1, cmdlet + " -" + parameter.Name + " is mandatory in some sets only: document it per set and extend this test.");
                Assert.True((mandatory[0] ? "True" : "False") == yaml["Required"], cmdlet + " -" + parameter.Name + ": Required " + yaml["Required"]);

                string[] positions = parameter.ParameterAttributes.Select(a => NamedValue(a, "Position") is int position && position >= 0 ? position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "Named").Distinct().ToArray();
                Assert.True(string.Join(", ", positions) == yaml["Position"], cmdlet + " -" + parameter.Name + ": Position " + yaml["Position"] + ", compiled " + string.Join(", ", positions));

                var pipeline = new List<string>();
                if (parameter.Named("ValueFromPipelineByPropertyName"))
                {
                    pipeline.Add("ByPropertyName");
                }

                if (parameter.Named("ValueFromPipeline"))
                {
                    pipeline.Add("ByValue");
                }

                string accept = pipeline.Count == 0 ? "False" : "True (" + string.Join(", ", pipeline) + ")";
                Assert.True(accept == yaml["Accept pipeline input"], cmdlet + " -" + parameter.Name + ": Accept pipeline input " + yaml["Accept pipeline input"] + ", compiled " + accept);

                string wildcards = parameter.Has("System.Management.Automation.SupportsWildcardsAttribute") ? "True" : "False";
                Assert.True(wildcards == yaml["Accept wildcard characters"], cmdlet + " -" + parameter.Name + ": Accept wildcard characters " + yaml["Accept wildcard characters"]);
            }
        }

        private static object? NamedValue(System.Reflection.CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value).FirstOrDefault();

        private static string Sorted(string list) =>
            string.Join(", ", list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).OrderBy(x => x, StringComparer.Ordinal));

        private static IReadOnlyDictionary<string, string> YamlBlock(string page, string parameter)
        {
            Match block = Regex.Match(page, @"^### -" + parameter + @"\s*\r?\n(?:(?!^### ).)*?```yaml\s*\r?\n(?<yaml>.*?)```", RegexOptions.Singleline | RegexOptions.Multiline);
            Assert.True(block.Success, "no yaml block for -" + parameter);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string line in block.Groups["yaml"].Value.Split('\n'))
            {
                int colon = line.IndexOf(':');
                if (colon > 0)
                {
                    fields[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                }
            }

            return fields;
        }

        [Fact]
        public void The_chat_page_shows_both_scenarios_in_chinese_and_english()
        {
            string text = File.ReadAllText(Docs("Invoke-QwenChat.md"));
            Assert.Contains("qwq-32b", text);
            Assert.Contains("你是谁?", text);
            Assert.Contains("Add-QwenFileReference", text);
            Assert.Contains("qwen-long", text);
            Assert.Contains("这篇文章讲了什么?", text);
            Assert.Contains("Now as a PowerShell script", text);
            Assert.True(Regex.Matches(text, @"^### Example \d+", RegexOptions.Multiline).Count >= 6);
        }

        [Fact]
        public void Every_error_id_is_explained_in_the_about_topic()
        {
            string about = File.ReadAllText(Docs("about_QwenPS.md"));
            foreach (System.Reflection.FieldInfo id in typeof(QwenErrorIds).GetFields().Where(f => f.IsLiteral))
            {
                Assert.Contains("- " + (string)id.GetRawConstantValue()! + ",", about);
            }
        }

        [Fact]
        public void The_module_page_lists_every_cmdlet_and_the_about_topic_exists()
        {
            string module = File.ReadAllText(Docs("QwenPS.md"));
            Assert.Contains("Module Name: QwenPS", module);
            Assert.All(Meta.Cmdlets, c => Assert.Contains("[" + c.Name + "](" + c.Name + ".md)", module));

            string about = File.ReadAllText(Docs("about_QwenPS.md"));
            Assert.Contains("about_QwenPS", about);
            foreach (string topic in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION", "SEE ALSO" })
            {
                Assert.Contains(topic, about);
            }

            foreach (string subject in new[] { "Connect-Qwen", "Region", "-Stream", "-Live", "fileid://", "Retry", "DASHSCOPE_API_KEY" })
            {
                Assert.Contains(subject, about);
            }
        }
    }
}
