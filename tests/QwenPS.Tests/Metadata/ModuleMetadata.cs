using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace QwenPS.Tests.Metadata
{
    /// <summary>
    /// QwenPS.dll and System.Management.Automation (PowerShellStandard's reference assembly, which cannot run)
    /// loaded as metadata only, so tests can check what PowerShell will see: cmdlets, parameters, attributes.
    /// </summary>
    internal sealed class ModuleMetadata : IDisposable
    {
        private static readonly Lazy<ModuleMetadata> Shared = new Lazy<ModuleMetadata>(() => new ModuleMetadata());

        private readonly MetadataLoadContext _context;

        private ModuleMetadata()
        {
            string moduleFolder = Path.GetDirectoryName(TestPaths.ModuleAssembly)!;
            var paths = new List<string>(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"));
            paths.AddRange(Directory.GetFiles(moduleFolder, "*.dll").Where(p => !paths.Any(existing => Path.GetFileName(existing) == Path.GetFileName(p))));
            paths.Add(TestPaths.PowerShellReference);
            _context = new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Private.CoreLib");
            Module = _context.LoadFromAssemblyPath(TestPaths.ModuleAssembly);
            Automation = _context.LoadFromAssemblyPath(TestPaths.PowerShellReference);
        }

        public static ModuleMetadata Instance => Shared.Value;

        public Assembly Module { get; }

        public Assembly Automation { get; }

        public IEnumerable<CmdletInfo> Cmdlets =>
            Module.GetTypes()
                .Select(t => (Type: t, Attribute: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute")))
                .Where(x => x.Attribute != null)
                .Select(x => new CmdletInfo(x.Type, x.Attribute!));

        /// <summary>The verbs PowerShell approves: the constants of the Verbs* classes.</summary>
        public ISet<string> ApprovedVerbs =>
            new HashSet<string>(
                Automation.GetTypes()
                    .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
                    .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
                    .Where(f => f.IsLiteral)
                    .Select(f => (string)f.GetRawConstantValue()!),
                StringComparer.Ordinal);

        public ISet<string> ErrorCategoryNames =>
            new HashSet<string>(Automation.GetType("System.Management.Automation.ErrorCategory")!.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name));

        public void Dispose() => _context.Dispose();
    }

    internal sealed class CmdletInfo
    {
        public CmdletInfo(Type type, CustomAttributeData attribute)
        {
            Type = type;
            Verb = (string)attribute.ConstructorArguments[0].Value!;
            Noun = (string)attribute.ConstructorArguments[1].Value!;
            Named = attribute.NamedArguments.ToDictionary(a => a.MemberName, a => a.TypedValue.Value);
        }

        public Type Type { get; }

        public string Verb { get; }

        public string Noun { get; }

        public string Name => Verb + "-" + Noun;

        public IReadOnlyDictionary<string, object?> Named { get; }

        public bool SupportsShouldProcess => Named.TryGetValue("SupportsShouldProcess", out object? value) && value is true;

        /// <summary>[Cmdlet(SupportsPaging = true)]: PowerShell adds -First, -Skip and -IncludeTotalCount.</summary>
        public bool SupportsPaging => Named.TryGetValue("SupportsPaging", out object? value) && value is true;

        public IEnumerable<ParameterInfo> Parameters =>
            Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Attributes: p.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToList()))
                .Where(x => x.Attributes.Count > 0)
                .Select(x => new ParameterInfo(x.Property, x.Attributes));

        public IEnumerable<CustomAttributeData> Attributes(string fullName) =>
            Type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == fullName);
    }

    internal sealed class ParameterInfo
    {
        public ParameterInfo(PropertyInfo property, IReadOnlyList<CustomAttributeData> parameterAttributes)
        {
            Property = property;
            ParameterAttributes = parameterAttributes;
        }

        public PropertyInfo Property { get; }

        public string Name => Property.Name;

        public IReadOnlyList<CustomAttributeData> ParameterAttributes { get; }

        public bool Named(string flag) => ParameterAttributes.Any(a => a.NamedArguments.Any(n => n.MemberName == flag && n.TypedValue.Value is true));

        public IEnumerable<string> Aliases =>
            Property.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
                .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!));

        public bool Has(string attributeFullName) => Property.GetCustomAttributesData().Any(a => a.AttributeType.FullName == attributeFullName);
    }
}
