using System;
using System.IO;

namespace QwenPS.Tests.Support
{
    /// <summary>A fresh folder under the temp path for one test class's files, deleted with everything in it.</summary>
    internal sealed class TempFolder : IDisposable
    {
        public TempFolder(string prefix)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "qwenps-" + prefix + "-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        /// <summary>The full path of <paramref name="name"/> in the folder (the file is not created).</summary>
        public string this[string name] => System.IO.Path.Combine(Path, name);

        /// <summary>Writes <paramref name="text"/> as UTF-8 and returns the file's path.</summary>
        public string Write(string name, string text)
        {
            string path = this[name];
            File.WriteAllText(path, text);
            return path;
        }

        /// <summary>A sparse file of that size: no disk is used for its zeros.</summary>
        public string Sized(string name, long bytes)
        {
            string path = this[name];
            using (var file = new FileStream(path, FileMode.Create))
            {
                file.SetLength(bytes);
            }

            return path;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
