using System;
using System.Collections.Generic;
using System.IO;
using QwenPS.Batch;
using QwenPS.Documents;
using QwenPS.Engine;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Documents
{
    public sealed class FileIdIndexTests : IDisposable
    {
        private const string Key = "sk-canary0123456789abcdef";
        private static readonly Uri Beijing = new Uri("https://dashscope.aliyuncs.com/compatible-mode/v1");
        private static readonly Uri Singapore = new Uri("https://dashscope-intl.aliyuncs.com/compatible-mode/v1");

        private readonly TempFolder _folder = new TempFolder("index");
        private readonly List<string> _warnings = new List<string>();

        public void Dispose() => _folder.Dispose();

        private FileIdIndex Load(Uri? endpoint = null, string key = Key) => FileIdIndex.Load(_folder.Path, endpoint ?? Beijing, key, _warnings.Add);

        private static FileIdEntry Entry(string id) => new FileIdEntry(id, 42, "a.pdf", new DateTimeOffset(2026, 12, 1, 19, 0, 0, TimeSpan.Zero));

        [Fact]
        public void Entries_survive_a_save_and_stay_apart_per_account_and_region()
        {
            FileIdIndex index = Load();
            index.Record("hash-a", Entry("file-fe-A"));
            index.Save(_warnings.Add);

            FileIdEntry? again = Load().Find("hash-a");
            Assert.Equal("file-fe-A", again!.Id);
            Assert.Equal(42, again.Bytes);
            Assert.Equal("a.pdf", again.FileName);
            Assert.Equal(new DateTimeOffset(2026, 12, 1, 19, 0, 0, TimeSpan.Zero), again.UploadedAt);
            Assert.Null(Load(Singapore).Find("hash-a"));
            Assert.Null(Load(key: "sk-other").Find("hash-a"));
            Assert.Empty(_warnings);
        }

        [Fact]
        public void The_file_never_holds_the_key_and_lives_under_file_index()
        {
            FileIdIndex index = Load();
            index.Record("hash-a", Entry("file-fe-A"));
            index.Save(_warnings.Add);

            Assert.StartsWith(Path.Combine(_folder.Path, "file-index"), index.FilePath);
            string text = File.ReadAllText(index.FilePath);
            Assert.DoesNotContain(Key, text);
            Assert.DoesNotContain(Key, index.FilePath);
            Assert.Contains("https://dashscope.aliyuncs.com/compatible-mode/v1", text);
        }

        [Fact]
        public void Saving_merges_with_entries_another_process_wrote_meanwhile_and_applies_forgets()
        {
            FileIdIndex first = Load();
            FileIdIndex second = Load();
            first.Record("hash-a", Entry("file-fe-A"));
            first.Record("hash-gone", Entry("file-fe-G"));
            first.Save(_warnings.Add);

            second.Record("hash-b", Entry("file-fe-B"));
            second.Forget("hash-gone");
            second.Save(_warnings.Add);

            FileIdIndex reread = Load();
            Assert.Equal("file-fe-A", reread.Find("hash-a")!.Id);
            Assert.Equal("file-fe-B", reread.Find("hash-b")!.Id);
            Assert.Null(reread.Find("hash-gone"));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(reread.FilePath)!, "*.tmp"));
        }

        [Fact]
        public void A_damaged_index_is_reported_ignored_and_rewritten()
        {
            FileIdIndex index = Load();
            Directory.CreateDirectory(Path.GetDirectoryName(index.FilePath)!);
            File.WriteAllText(index.FilePath, "{ not json");

            FileIdIndex damaged = Load();
            Assert.Equal(0, damaged.Count);
            Assert.Contains(_warnings, w => w.Contains("damaged"));
            damaged.Record("hash-a", Entry("file-fe-A"));
            damaged.Save(_warnings.Add);
            Assert.Equal("file-fe-A", Load().Find("hash-a")!.Id);
        }

        [Fact]
        public void The_data_folder_follows_the_override_then_the_platform_convention()
        {
            Assert.Equal("/x/data", FileIdIndex.DataFolder(name => name == QwenDataFolder.EnvironmentVariable ? "/x/data" : null));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(Path.Combine("/x/xdg", "QwenPS"), FileIdIndex.DataFolder(name => name == "XDG_DATA_HOME" ? "/x/xdg" : null));
                Assert.Equal(Path.Combine("/home/u", ".local", "share", "QwenPS"), FileIdIndex.DataFolder(name => name == "HOME" ? "/home/u" : null));
            }
        }

        [Fact]
        public void The_index_and_the_batch_mappings_share_one_data_folder_and_one_variable()
        {
            Func<string, string?> overridden = name => name == QwenDataFolder.EnvironmentVariable ? "/x/data" : null;
            Assert.Equal("QWENPS_DATA_HOME", QwenDataFolder.EnvironmentVariable);
            Assert.Equal(Path.Combine(FileIdIndex.DataFolder(overridden), "batches"), BatchDataFolder.Resolve(overridden));
            Func<string, string?> platform = name => name == "HOME" ? "/home/u" : null;
            Assert.Equal(Path.Combine(FileIdIndex.DataFolder(platform), "batches"), BatchDataFolder.Resolve(platform));
        }

        [Fact]
        public void On_Unix_the_index_is_readable_by_its_owner_only()
        {
            if (OperatingSystem.IsWindows())
            {
                return; // Windows: the file inherits the ACL of the user's profile folder.
            }

            FileIdIndex index = Load();
            index.Record("hash-a", Entry("file-fe-A"));
            index.Save(_warnings.Add);
            index.Record("hash-b", Entry("file-fe-B"));
            index.Save(_warnings.Add);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(index.FilePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(index.FilePath)!));
            Assert.Equal("file-fe-B", Load().Find("hash-b")!.Id);
        }

        [Fact]
        public void Hashes_are_sha256_of_the_bytes()
        {
            string path = _folder.Write("abc.txt", "abc");
            Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", FileIdIndex.Sha256OfFile(path));
            Assert.Equal(FileIdIndex.Sha256Hex(new byte[] { 0x61, 0x62, 0x63 }), FileIdIndex.Sha256OfFile(path));
        }
    }
}
