using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;

namespace QwenPS.Module
{
    /// <summary>
    /// Runs when Import-Module loads QwenPS.dll: on Windows PowerShell 5.1 it answers AssemblyResolve for the
    /// dependency DLLs shipped beside the module (see <see cref="DependencyResolver"/>) and makes sure TLS 1.2
    /// is allowed. On PowerShell 7 the handler is registered too but the framework answers first.
    /// </summary>
    public sealed class QwenModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(QwenModuleInitializer).Assembly.Location) ?? string.Empty;

        public void OnImport()
        {
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
            if (DependencyResolver.NeedsTls12(RuntimeInformation.FrameworkDescription))
            {
                ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            string? path = DependencyResolver.FindAssemblyPath(
                new AssemblyName(args.Name),
                ModuleDirectory,
                File.Exists,
                file => AssemblyName.GetAssemblyName(file).Version);
            return path == null ? null : Assembly.LoadFrom(path);
        }
    }
}
