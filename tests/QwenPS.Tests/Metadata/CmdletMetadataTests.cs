using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using QwenPS.Module;
using Xunit;

namespace QwenPS.Tests.Metadata
{
    /// <summary>What PowerShell will see of the compiled module, checked from metadata (the PowerShell stubs cannot run).</summary>
    public class CmdletMetadataTests
    {
        private static readonly ModuleMetadata Meta = ModuleMetadata.Instance;

        private static readonly string[] ExpectedCmdlets =
        {
            "Add-QwenDocument", "Add-QwenFileReference", "Clear-QwenUsage", "Connect-Qwen", "Disconnect-Qwen", "Get-QwenBatch", "Get-QwenFile", "Get-QwenModel", "Get-QwenUsage", "Invoke-QwenChat", "Invoke-QwenCodeCompletion", "Invoke-QwenDocumentChat", "Invoke-QwenTranslation", "New-QwenChatRequest", "New-QwenMessage", "New-QwenTool", "Receive-QwenBatch", "Remove-QwenBatchMapping", "Remove-QwenFile", "Save-QwenFileContent", "Start-QwenBatch", "Stop-QwenBatch", "Wait-QwenBatch",
        };

        private static string Manifest => File.ReadAllText(TestPaths.Combine("QwenPS.psd1"));

        private static IReadOnlyList<string> ManifestList(string key)
        {
            Match match = Regex.Match(Manifest, key + @"\s*=\s*@\((?<items>[^)]*)\)", RegexOptions.Singleline);
            Assert.True(match.Success, key + " is not an @() list in QwenPS.psd1");
            return Regex.Matches(match.Groups["items"].Value, "'([^']+)'").Select(m => m.Groups[1].Value).ToList();
        }

        private static string ManifestValue(string key)
        {
            Match match = Regex.Match(Manifest, @"^\s*" + key + @"\s*=\s*'(?<value>[^']*)'", RegexOptions.Multiline);
            Assert.True(match.Success, key + " is missing from QwenPS.psd1");
            return match.Groups["value"].Value;
        }

        [Fact]
        public void The_assembly_declares_exactly_the_expected_cmdlets()
        {
            Assert.Equal(ExpectedCmdlets.OrderBy(n => n, StringComparer.Ordinal), Meta.Cmdlets.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void The_manifest_exports_every_cmdlet_and_nothing_else()
        {
            Assert.Equal(Meta.Cmdlets.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal), ManifestList("CmdletsToExport").OrderBy(n => n, StringComparer.Ordinal));
            Assert.Empty(ManifestList("FunctionsToExport"));
            Assert.Empty(ManifestList("AliasesToExport"));
            Assert.Empty(ManifestList("VariablesToExport"));
        }

        [Fact]
        public void The_manifest_describes_a_module_for_both_editions()
        {
            Assert.Equal(new[] { "Desktop", "Core" }, ManifestList("CompatiblePSEditions"));
            Assert.Equal("5.1", ManifestValue("PowerShellVersion"));
            Assert.True(Guid.TryParse(ManifestValue("GUID"), out _));
            Assert.Equal(typeof(QwenMessage).Assembly.GetName().Version!.ToString(3), ManifestValue("ModuleVersion"));
            Assert.Equal("bin/QwenPS.dll", ManifestValue("RootModule"));
            Assert.Equal(new[] { "bin/QwenPS.Format.ps1xml" }, ManifestList("FormatsToProcess"));
            Assert.Matches(@"ProjectUri\s*=\s*'https://", Manifest);
            Assert.Matches(@"LicenseUri\s*=\s*'https://", Manifest);
            Assert.Matches(@"Tags\s*=\s*@\(", Manifest);
            Assert.False(string.IsNullOrWhiteSpace(ManifestValue("Description")));
        }

        [Fact]
        public void Every_cmdlet_uses_an_approved_verb_and_the_Qwen_noun_prefix()
        {
            ISet<string> approved = Meta.ApprovedVerbs;
            Assert.Contains("Invoke", approved);
            Assert.All(Meta.Cmdlets, c =>
            {
                Assert.Contains(c.Verb, approved);
                Assert.StartsWith("Qwen", c.Noun, StringComparison.Ordinal);
            });
        }

        [Fact]
        public void Every_cmdlet_declares_its_output_type_and_class_names_match_cmdlet_names()
        {
            Assert.All(Meta.Cmdlets, c =>
            {
                Assert.NotEmpty(c.Attributes("System.Management.Automation.OutputTypeAttribute"));
                Assert.Equal(c.Verb + c.Noun + "Command", c.Type.Name);
                Assert.Equal(c.Type.Name + ".cs", Path.GetFileName(Directory.GetFiles(TestPaths.Combine("src", "QwenPS", "Commands"), c.Type.Name + ".cs").Single()));
            });
        }

        [Theory]
        [InlineData("Invoke-QwenChat", "InputObject", "ValueFromPipeline")]
        [InlineData("New-QwenMessage", "InputObject", "ValueFromPipeline")]
        [InlineData("Add-QwenFileReference", "InputObject", "ValueFromPipeline")]
        [InlineData("Get-QwenFile", "FileId", "ValueFromPipelineByPropertyName")]
        [InlineData("Remove-QwenFile", "FileId", "ValueFromPipelineByPropertyName")]
        [InlineData("Get-QwenFile", "FileId", "ValueFromPipeline")]
        [InlineData("Remove-QwenFile", "FileId", "ValueFromPipeline")]
        [InlineData("Remove-QwenFile", "InputObject", "ValueFromPipeline")]
        [InlineData("Add-QwenDocument", "InputObject", "ValueFromPipeline")]
        [InlineData("Invoke-QwenDocumentChat", "InputObject", "ValueFromPipeline")]
        [InlineData("Start-QwenBatch", "InputObject", "ValueFromPipeline")]
        [InlineData("New-QwenChatRequest", "Message", "ValueFromPipeline")]
        [InlineData("Get-QwenBatch", "BatchId", "ValueFromPipelineByPropertyName")]
        [InlineData("Wait-QwenBatch", "BatchId", "ValueFromPipelineByPropertyName")]
        [InlineData("Receive-QwenBatch", "BatchId", "ValueFromPipelineByPropertyName")]
        [InlineData("Stop-QwenBatch", "BatchId", "ValueFromPipelineByPropertyName")]
        [InlineData("Remove-QwenBatchMapping", "BatchId", "ValueFromPipelineByPropertyName")]
        public void Pipeline_input_is_accepted_where_documented(string cmdlet, string parameter, string flag)
        {
            ParameterInfo info = Meta.Cmdlets.Single(c => c.Name == cmdlet).Parameters.Single(p => p.Name == parameter);
            Assert.True(info.Named(flag), cmdlet + " -" + parameter + " should have " + flag);
        }

        [Fact]
        public void Only_the_documented_parameters_take_pipeline_input()
        {
            var byValue = Meta.Cmdlets.SelectMany(c => c.Parameters.Where(p => p.Named("ValueFromPipeline")).Select(p => c.Name + " -" + p.Name)).OrderBy(x => x);
            Assert.Equal(
                new[] { "Add-QwenDocument -InputObject", "Add-QwenFileReference -InputObject", "Get-QwenBatch -BatchId", "Get-QwenFile -FileId", "Get-QwenModel -Name", "Invoke-QwenChat -InputObject", "Invoke-QwenDocumentChat -InputObject", "Invoke-QwenTranslation -Message", "Invoke-QwenTranslation -Text", "New-QwenChatRequest -Message", "New-QwenMessage -InputObject", "New-QwenTool -Command", "Receive-QwenBatch -BatchId", "Remove-QwenBatchMapping -BatchId", "Remove-QwenFile -FileId", "Remove-QwenFile -InputObject", "Save-QwenFileContent -FileId", "Start-QwenBatch -InputObject", "Stop-QwenBatch -BatchId", "Wait-QwenBatch -BatchId" },
                byValue);
        }

        [Fact]
        public void The_id_parameters_accept_Id_by_property_name_so_QwenFileInfo_pipes_in()
        {
            Assert.All(new[] { "Get-QwenFile", "Remove-QwenFile", "Save-QwenFileContent" }, name =>
                Assert.Contains("Id", Meta.Cmdlets.Single(c => c.Name == name).Parameters.Single(p => p.Name == "FileId").Aliases));
            Assert.NotNull(typeof(QwenFileInfo).GetProperty("Id"));
            Assert.All(new[] { "Get-QwenBatch", "Wait-QwenBatch", "Receive-QwenBatch", "Stop-QwenBatch", "Remove-QwenBatchMapping" }, name =>
                Assert.Contains("Id", Meta.Cmdlets.Single(c => c.Name == name).Parameters.Single(p => p.Name == "BatchId").Aliases));
            Assert.NotNull(typeof(QwenBatch).GetProperty("Id"));
        }

        [Fact]
        public void Cmdlets_that_create_or_delete_remote_things_support_WhatIf_and_Confirm()
        {
            // Invoke-QwenChat: a plain chat asks (it spends money), and with -Tool the switches go on to the tools.
            // Start-QwenBatch spends money; Stop-QwenBatch cancels work; Remove-QwenBatchMapping deletes a local file.
            Assert.Equal(
                new[] { "Add-QwenFileReference", "Invoke-QwenChat", "Invoke-QwenDocumentChat", "Remove-QwenBatchMapping", "Remove-QwenFile", "Start-QwenBatch", "Stop-QwenBatch" },
                Meta.Cmdlets.Where(c => c.SupportsShouldProcess).Select(c => c.Name).OrderBy(n => n));
        }

        [Fact]
        public void The_service_cmdlets_share_the_connection_parameters_and_offline_ones_do_not()
        {
            string[] connection = { "ApiKey", "Region", "BaseUri", "Proxy", "ProxyCredential", "ProxyUseDefaultCredentials", "TimeoutSec", "IdleTimeoutSec", "MaxRetry" };
            foreach (CmdletInfo cmdlet in Meta.Cmdlets)
            {
                var names = cmdlet.Parameters.Select(p => p.Name).ToHashSet();
                bool service = false;
                for (Type? type = cmdlet.Type.BaseType; type != null; type = type.BaseType)
                {
                    service |= type.Name == "QwenServiceCmdlet";
                }

                Assert.Equal(service, connection.All(names.Contains));
                if (service)
                {
                    Assert.Equal("System.Security.SecureString", cmdlet.Parameters.Single(p => p.Name == "ApiKey").Property.PropertyType.FullName);
                }
            }
        }

        [Fact]
        public void Model_parameters_have_tab_completion()
        {
            foreach (CmdletInfo cmdlet in Meta.Cmdlets.Where(c => c.Parameters.Any(p => p.Name == "Model")))
            {
                Assert.True(cmdlet.Parameters.Single(p => p.Name == "Model").Has("System.Management.Automation.ArgumentCompleterAttribute"), cmdlet.Name);
            }
        }

        [Fact]
        public void Every_error_category_name_exists_in_PowerShell()
        {
            ISet<string> categories = Meta.ErrorCategoryNames;
            Assert.All(Enum.GetNames(typeof(QwenErrorCategory)), name => Assert.Contains(name, categories));
        }

        [Fact]
        public void The_module_initializer_is_one_PowerShell_calls()
        {
            Type initializer = Meta.Module.GetType("QwenPS.Module.QwenModuleInitializer")!;
            Assert.Contains(initializer.GetInterfaces(), i => i.FullName == "System.Management.Automation.IModuleAssemblyInitializer");
            Assert.Contains(initializer.GetInterfaces(), i => i.FullName == "System.Management.Automation.IModuleAssemblyCleanup");
        }

        [Fact]
        public void No_public_member_exposes_System_Text_Json_types()
        {
            IEnumerable<Type> publicTypes = Meta.Module.GetTypes().Where(t => t.IsPublic || t.IsNestedPublic);
            foreach (Type type in publicTypes)
            {
                foreach (System.Reflection.MemberInfo member in type.GetMembers(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly))
                {
                    Type? exposed = member switch
                    {
                        System.Reflection.PropertyInfo p => p.PropertyType,
                        System.Reflection.FieldInfo f => f.FieldType,
                        System.Reflection.MethodInfo m => m.ReturnType,
                        _ => null,
                    };
                    Assert.False(exposed?.Namespace?.StartsWith("System.Text.Json", StringComparison.Ordinal) == true, type.Name + "." + member.Name);
                }
            }
        }

        [Fact]
        public void The_laid_out_module_folder_ships_runtime_files_only()
        {
            string bin = TestPaths.Combine("bin");
            string[] dlls = Directory.GetFiles(bin, "*.dll").Select(Path.GetFileNameWithoutExtension).ToArray()!;
            Assert.Contains("QwenPS", dlls);
            Assert.DoesNotContain("System.Management.Automation", dlls);
            Assert.All(dlls.Where(d => d != "QwenPS"), d => Assert.Contains(d, DependencyResolver.ShippedAssemblies));
            Assert.True(File.Exists(Path.Combine(bin, "QwenPS.Format.ps1xml")));
            Assert.Equal(
                File.ReadAllBytes(TestPaths.ModuleAssembly),
                File.ReadAllBytes(Path.Combine(bin, "QwenPS.dll")));
        }

        [Fact]
        public void Format_views_name_real_public_types()
        {
            var xml = System.Xml.Linq.XDocument.Load(TestPaths.Combine("src", "QwenPS", "QwenPS.Format.ps1xml"));
            // "Type#Variant" names a view of a public type for objects a cmdlet marks (PSObject.TypeNames), e.g.
            // QwenPS.QwenChatResponse#Live; the part before '#' must be the real type.
            string[] typeNames = xml.Descendants("TypeName").Select(e => e.Value.Split('#')[0]).ToArray();
            Assert.NotEmpty(typeNames);
            Assert.All(typeNames, name => Assert.True(typeof(QwenMessage).Assembly.GetType(name)?.IsPublic == true, name));
            foreach (string property in xml.Descendants("PropertyName").Select(e => e.Value))
            {
                Assert.Contains(typeNames, name => typeof(QwenMessage).Assembly.GetType(name)!.GetProperty(property) != null);
            }
        }
    }
}
