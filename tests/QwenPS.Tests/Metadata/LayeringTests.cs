using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace QwenPS.Tests.Metadata
{
    /// <summary>
    /// The layering of docs/architecture.md, enforced: PowerShell types only in Commands/ and Module/, cmdlets
    /// reaching the engine only through Engine/, the API folders' operations, Output/ and the public models (never
    /// Transport/, Session/, wire or endpoint types), one type per file, and no cycle between folders. Read from the compiled module (signatures) and from the sources (every use).
    /// </summary>
    public class LayeringTests
    {
        /// <summary>The folders that are not an API. Every other folder of src/QwenPS is one API (Chat/, Files/, and each
        /// one added after them: docs/architecture.md, "Adding an API"), and all API folders obey the same rules.</summary>
        private static readonly string[] CoreLayers = { "Commands", "Engine", "Errors", "Models", "Module", "Output", "Session", "Streaming", "Transport" };

        /// <summary>The folders of src/QwenPS that hold C#: the core layers and the API folders.</summary>
        private static readonly string[] Layers = Directory.GetDirectories(Source)
            .Select(Path.GetFileName)
            .Where(name => name is not null && name != "bin" && name != "obj" && Directory.GetFiles(Path.Combine(Source, name), "*.cs", SearchOption.AllDirectories).Length > 0)
            .Select(name => name!)
            .Union(CoreLayers.Where(l => Directory.Exists(Path.Combine(Source, l))))
            .OrderBy(l => l, StringComparer.Ordinal)
            .ToArray();

        private static readonly string[] ApiLayers = Layers.Except(CoreLayers).ToArray();

        private static readonly string[] PowerShellFolders = { "Commands", "Module" };

        private static readonly Regex QwenNamespace = new Regex(@"\bQwenPS\.(?<layer>[A-Z]\w*)(?:\.Wire)?\b(?!\.psd1)", RegexOptions.Compiled);

        private static string Source => TestPaths.Combine("src", "QwenPS");

        private static IEnumerable<(string Layer, string File, string Text)> SourceFiles() =>
            Directory.GetFiles(Source, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .Select(f => (Path.GetRelativePath(Source, f).Split(Path.DirectorySeparatorChar)[0], f, File.ReadAllText(f)));

        /// <summary>The layers a source file uses: its using directives and qualified names, comments left out.</summary>
        private static IEnumerable<string> LayersUsedBy(string text)
        {
            string code = Regex.Replace(text, @"//.*", string.Empty);
            return QwenNamespace.Matches(code).Select(m => m.Groups["layer"].Value).Where(Layers.Contains).Distinct();
        }

        [Fact]
        public void The_API_folders_are_found()
        {
            Assert.Contains("Chat", ApiLayers);
            Assert.Contains("Files", ApiLayers);
        }

        [Fact]
        public void Every_folder_is_a_known_layer_and_declares_its_own_namespace()
        {
            foreach ((string layer, string file, string text) in SourceFiles())
            {
                Assert.Contains(layer, Layers);
                string relative = Path.GetRelativePath(Source, Path.GetDirectoryName(file)!).Replace(Path.DirectorySeparatorChar, '.');
                string expected = layer == "Models" || (layer == "Errors" && Regex.IsMatch(text, @"public (sealed |static )?(class|enum)")) ? "QwenPS" : "QwenPS." + relative;
                Assert.True(Regex.IsMatch(text, @"^namespace " + Regex.Escape(expected) + @"\r?$", RegexOptions.Multiline), file + " should declare namespace " + expected);
            }
        }

        [Fact]
        public void Every_file_holds_one_top_level_type_named_after_it()
        {
            var declaration = new Regex(@"^    (?:public|internal)(?: sealed| static| abstract| readonly| partial)* (?:class|struct|interface|enum) (?<name>\w+)", RegexOptions.Multiline);
            foreach ((string _, string file, string text) in SourceFiles())
            {
                string[] types = declaration.Matches(text).Select(m => m.Groups["name"].Value).ToArray();
                Assert.True(types.Length == 1 && types[0] == Path.GetFileNameWithoutExtension(file), file + " declares " + string.Join(", ", types) + ".");
            }
        }

        [Fact]
        public void Public_records_have_get_only_properties_and_internal_constructors()
        {
            var records = ModuleMetadata.Instance.Module.GetTypes()
                .Where(t => t.IsPublic && t.Namespace == "QwenPS" && t.IsClass && !(t.IsAbstract && t.IsSealed) && t.BaseType?.FullName != "System.Exception")
                .ToList();
            Assert.Contains(records, t => t.Name == "QwenUsage");
            foreach (Type type in records)
            {
                Assert.All(type.GetProperties(), p => Assert.True(p.GetSetMethod() == null, type.Name + "." + p.Name + " has a public setter."));
                string[] constructors = type.GetConstructors().Select(c => type.Name + "(" + string.Join(", ", c.GetParameters().Select(p => p.ParameterType.Name)) + ")").ToArray();

                // The one exception: scripts build text messages with [QwenPS.QwenMessage]::new('User', 'Hello') (New-QwenMessage's help).
                Assert.All(constructors, c => Assert.Equal("QwenMessage(QwenRole, String)", c));
            }
        }

        [Fact]
        public void Only_commands_and_the_module_initializer_touch_PowerShell()
        {
            foreach ((string layer, string file, string text) in SourceFiles().Where(f => !PowerShellFolders.Contains(f.Layer)))
            {
                Assert.False(Regex.Replace(text, @"//.*", string.Empty).Contains("System.Management.Automation"), file + " (layer " + layer + ") names System.Management.Automation.");
            }

            // The compiled signatures too: no engine type derives from, holds or passes a PowerShell type.
            Assembly automation = ModuleMetadata.Instance.Automation;
            foreach (Type type in ModuleMetadata.Instance.Module.GetTypes().Where(t => t.Namespace != "QwenPS.Commands" && t.Namespace != "QwenPS.Module"))
            {
                foreach (Type used in SignatureTypes(type))
                {
                    Assert.False(used.Assembly == automation, type.FullName + " uses " + used.FullName + " from System.Management.Automation.");
                }
            }
        }

        [Fact]
        public void Commands_reach_neither_the_transport_nor_wire_types_nor_endpoint_classes()
        {
            foreach ((string _, string file, string text) in SourceFiles().Where(f => f.Layer == "Commands"))
            {
                string code = Regex.Replace(text, @"//.*", string.Empty);
                string[] beyond = LayersUsedBy(text).Except(new[] { "Commands", "Engine", "Output", "Errors" }).Except(ApiLayers).ToArray();
                Assert.True(beyond.Length == 0, file + " uses " + string.Join(", ", beyond) + ".");
                Assert.False(Regex.IsMatch(code, @"\bQwenPS\.\w+\.Wire\b|\bWire[A-Z]\w*|\b[A-Z]\w*Api\b|\b(QwenTransport|TransportSettings|HttpClient)\b"), file + " reaches past the engine into transport, wire or endpoint types.");
            }

            foreach (Type type in ModuleMetadata.Instance.Module.GetTypes().Where(t => t.Namespace == "QwenPS.Commands"))
            {
                foreach (Type used in SignatureTypes(type))
                {
                    Assert.False(used.Namespace == "QwenPS.Transport" || (used.Namespace?.EndsWith(".Wire", StringComparison.Ordinal) ?? false), type.FullName + " uses " + used.FullName + ".");
                }
            }
        }

        [Fact]
        public void The_folders_depend_on_each_other_without_a_cycle()
        {
            var edges = Layers.ToDictionary(l => l, _ => new HashSet<string>());
            foreach ((string layer, string _, string text) in SourceFiles())
            {
                edges[layer].UnionWith(LayersUsedBy(text).Where(used => used != layer));
            }

            // Depth-first search; a layer met again while it is on the path closes a cycle.
            var state = new Dictionary<string, int>();
            var path = new Stack<string>();
            void Visit(string layer)
            {
                state[layer] = 1;
                path.Push(layer);
                foreach (string next in edges[layer])
                {
                    if (state.TryGetValue(next, out int seen) && seen == 1)
                    {
                        Assert.Fail("Folders import each other: " + string.Join(" <- ", path.TakeWhile(l => l != next).Append(next).Reverse().Append(next)));
                    }

                    if (!state.ContainsKey(next))
                    {
                        Visit(next);
                    }
                }

                path.Pop();
                state[layer] = 2;
            }

            foreach (string layer in Layers.Where(l => !state.ContainsKey(l)))
            {
                Visit(layer);
            }

            // And the shape docs/architecture.md draws: the transport knows no API, the engine knows no API either.
            Assert.Empty(edges["Transport"].Intersect(ApiLayers));
            Assert.Empty(edges["Engine"].Intersect(ApiLayers));
            Assert.Empty(edges["Output"].Intersect(ApiLayers.Concat(new[] { "Transport", "Engine", "Commands" })));
        }

        /// <summary>Base type, interfaces, fields, properties, method and constructor signatures (generic arguments unwrapped).</summary>
        private static IEnumerable<Type> SignatureTypes(Type type)
        {
            const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var direct = new List<Type>();
            if (type.BaseType != null)
            {
                direct.Add(type.BaseType);
            }

            direct.AddRange(type.GetInterfaces());
            direct.AddRange(type.GetFields(All).Select(f => f.FieldType));
            direct.AddRange(type.GetProperties(All).Select(p => p.PropertyType));
            foreach (MethodBase method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (method is MethodInfo info)
                {
                    direct.Add(info.ReturnType);
                }

                direct.AddRange(method.GetParameters().Select(p => p.ParameterType));
            }

            return direct.SelectMany(Unwrap);
        }

        private static IEnumerable<Type> Unwrap(Type type)
        {
            if (type.HasElementType)
            {
                return Unwrap(type.GetElementType()!);
            }

            if (type.IsGenericType && !type.IsGenericTypeDefinition)
            {
                return new[] { type.GetGenericTypeDefinition() }.Concat(type.GetGenericArguments().SelectMany(Unwrap));
            }

            return new[] { type };
        }
    }
}
