using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace QwenPS.Module
{
    /// <summary>
    /// Windows PowerShell 5.1 has no binding redirects for a module's dependencies, so when System.Text.Json
    /// asks for, say, System.Memory 4.0.1.2 the load fails unless someone answers AssemblyResolve. This
    /// decides the answer: only for the DLLs QwenPS ships, only from the module folder, and only when the
    /// file there is at least the requested version. PowerShell 7 has these in its framework and never asks.
    /// </summary>
    internal static class DependencyResolver
    {
        public static readonly HashSet<string> ShippedAssemblies = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "System.Text.Json",
            "System.Text.Encodings.Web",
            "System.Memory",
            "System.Buffers",
            "System.Numerics.Vectors",
            "System.Runtime.CompilerServices.Unsafe",
            "System.Threading.Tasks.Extensions",
            "Microsoft.Bcl.AsyncInterfaces",
        };

        /// <returns>The path to load, or null to let the runtime go on failing (not ours, missing, or too old).</returns>
        public static string? FindAssemblyPath(AssemblyName requested, string moduleDirectory, Func<string, bool> fileExists, Func<string, Version?> versionOf)
        {
            if (requested.Name == null || !ShippedAssemblies.Contains(requested.Name))
            {
                return null;
            }

            string path = Path.Combine(moduleDirectory, requested.Name + ".dll");
            if (!fileExists(path))
            {
                return null;
            }

            Version? available = versionOf(path);
            if (available == null || (requested.Version != null && available < requested.Version))
            {
                return null;
            }

            return path;
        }

        /// <summary>.NET Framework may default to TLS 1.0/1.1, which DashScope refuses; .NET Core asks the OS.</summary>
        public static bool NeedsTls12(string frameworkDescription) =>
            frameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
    }
}
