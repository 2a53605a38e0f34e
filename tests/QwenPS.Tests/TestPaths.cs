using System;
using System.IO;
using System.Reflection;

namespace QwenPS.Tests
{
    /// <summary>The repository root, baked in at build time (tests read the manifest and docs from it).</summary>
    [AttributeUsage(AttributeTargets.Assembly)]
    public sealed class RepositoryRootAttribute : Attribute
    {
        public RepositoryRootAttribute(string path) => Path = path;

        public string Path { get; }
    }

    /// <summary>Where PowerShellStandard.Library's System.Management.Automation.dll is (read as metadata only).</summary>
    [AttributeUsage(AttributeTargets.Assembly)]
    public sealed class PowerShellReferenceAttribute : Attribute
    {
        public PowerShellReferenceAttribute(string path) => Path = path;

        public string Path { get; }
    }

    internal static class TestPaths
    {
        public static string RepositoryRoot =>
            typeof(TestPaths).Assembly.GetCustomAttribute<RepositoryRootAttribute>()!.Path;

        public static string PowerShellReference =>
            typeof(TestPaths).Assembly.GetCustomAttribute<PowerShellReferenceAttribute>()!.Path;

        /// <summary>The QwenPS.dll the tests load: the same file the module ships.</summary>
        public static string ModuleAssembly => typeof(QwenMessage).Assembly.Location;

        public static string Combine(params string[] parts) => Path.Combine(RepositoryRoot, Path.Combine(parts));
    }
}
