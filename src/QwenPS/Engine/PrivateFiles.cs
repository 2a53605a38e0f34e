using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace QwenPS.Engine
{
    /// <summary>
    /// Files and folders that only their owner may read: QwenPS's batch files hold the user's input texts and answers.
    /// On Unix a new file is created with mode 0600 in the same call that creates it (no moment when others could open
    /// it), and a QwenPS folder is made 0700; the umask can only take bits away from these. The module targets
    /// netstandard2.0, which has no Unix modes, but on Unix it always runs on PowerShell 7.4+ (.NET 8+), whose
    /// FileStreamOptions.UnixCreateMode and File.SetUnixFileMode are reached by reflection. On Windows files are created
    /// as usual: they inherit the ACL of their folder, and the default data folder (%LOCALAPPDATA%) and the temp folder
    /// (%TEMP%) are in the user's own profile, which other users cannot read.
    /// </summary>
    internal static class PrivateFiles
    {
        private const int OwnerReadWrite = 0x180; // 0600
        private const int OwnerAll = 0x1C0;       // 0700

        private static readonly bool IsUnix = !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private static readonly Type? UnixFileMode = IsUnix ? Type.GetType("System.IO.UnixFileMode") : null;
        private static readonly Type? StreamOptions = IsUnix ? Type.GetType("System.IO.FileStreamOptions") : null;
        private static readonly ConstructorInfo? StreamWithOptions = StreamOptions == null ? null : typeof(FileStream).GetConstructor(new[] { typeof(string), StreamOptions });
        private static readonly MethodInfo? SetMode = UnixFileMode == null ? null : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), UnixFileMode });

        /// <summary>Creates <paramref name="path"/>, which must not exist (FileMode.CreateNew), for writing, readable by its owner only.</summary>
        public static FileStream CreateNew(string path, FileShare share, int bufferSize, FileOptions options = FileOptions.None)
        {
            if (StreamWithOptions == null || UnixFileMode == null)
            {
                return new FileStream(path, FileMode.CreateNew, FileAccess.Write, share, bufferSize, options);
            }

            object settings = Activator.CreateInstance(StreamOptions!)!;
            Set(settings, "Mode", FileMode.CreateNew);
            Set(settings, "Access", FileAccess.Write);
            Set(settings, "Share", share);
            Set(settings, "BufferSize", bufferSize);
            Set(settings, "Options", options);
            Set(settings, "UnixCreateMode", Enum.ToObject(UnixFileMode, OwnerReadWrite));
            try
            {
                return (FileStream)StreamWithOptions.Invoke(new[] { path, settings });
            }
            catch (TargetInvocationException error) when (error.InnerException != null)
            {
                // The IOException (the file exists) or UnauthorizedAccessException, as a plain FileStream would throw it.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error.InnerException).Throw();
                throw;
            }
        }

        /// <summary>Creates the folder (and its parents) if needed; on Unix makes the folder itself 0700, when it is ours to change.</summary>
        public static void CreateFolder(string path)
        {
            Directory.CreateDirectory(path);
            if (SetMode == null)
            {
                return;
            }

            try
            {
                SetMode.Invoke(null, new[] { path, Enum.ToObject(UnixFileMode!, OwnerAll) });
            }
            catch (TargetInvocationException error) when (error.InnerException is UnauthorizedAccessException || error.InnerException is IOException)
            {
                // Another user's folder (QWENPS_DATA_HOME pointing at a shared place): its files are still 0600.
            }
        }

        private static void Set(object target, string property, object value) => target.GetType().GetProperty(property)!.SetValue(target, value);
    }
}
