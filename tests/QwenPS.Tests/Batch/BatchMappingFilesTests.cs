using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Batch;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Batch
{
    /// <summary>The batch files that hold input texts and answers: owner-only on Unix, pruned when old, removable.</summary>
    public sealed class BatchMappingFilesTests : IClassFixture<ServerFixture>, IDisposable
    {
        private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        private const UnixFileMode OwnerAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        private readonly ServerFixture _fixture;
        private readonly BatchTestRun _run = new BatchTestRun("batch-files");

        public BatchMappingFilesTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        public void Dispose() => _run.Dispose();

        [Fact]
        public void The_mapping_and_request_files_are_created_owner_only_in_an_owner_only_folder_even_one_that_was_open()
        {
            if (OperatingSystem.IsWindows())
            {
                return; // Windows: the files inherit the ACL of the user's profile folder (Engine/PrivateFiles.cs).
            }

            Directory.CreateDirectory(_run.Mappings);
            File.SetUnixFileMode(_run.Mappings, (UnixFileMode)Convert.ToInt32("755", 8));
            using var builder = new BatchInputBuilder(_run.Options());
            builder.Add(BatchInput.FromText("secret ticket text", "a", null));
            builder.Complete();

            string pending = Directory.GetFiles(_run.Mappings, "pending-*").Single();
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(pending));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(builder.RequestFile));
            Assert.Equal(OwnerAll, File.GetUnixFileMode(_run.Mappings));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(builder.Commit("batch_private")));
        }

        [Fact]
        public async Task Downloaded_result_files_are_owner_only_too()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            TestClient test = _fixture.CreateClient();
            QwenBatch batch = await _run.RunAsync(test, _run.Options(), "hello", "no [fail]");

            IReadOnlyList<KeyValuePair<string, string>> files = await BatchOperations.DownloadResultsAsync(test.Client, batch, _run.Folder, CancellationToken.None);

            Assert.Equal(2, files.Count);
            foreach (KeyValuePair<string, string> file in files)
            {
                Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file.Value));
            }
        }

        [Fact]
        public void Prune_deletes_mappings_older_than_30_days_and_pending_files_older_than_a_day_and_nothing_else()
        {
            DateTime now = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
            Directory.CreateDirectory(_run.Mappings);
            string Aged(string name, TimeSpan age)
            {
                string path = Path.Combine(_run.Mappings, name);
                File.WriteAllText(path, "{}\n");
                File.SetLastWriteTimeUtc(path, now - age);
                return path;
            }

            string old = Aged("batch_old.jsonl", TimeSpan.FromDays(30.5));
            string young = Aged("batch_young.jsonl", TimeSpan.FromDays(29));
            string stale = Aged("pending-1.jsonl", TimeSpan.FromHours(25));
            string writing = Aged("pending-2.jsonl", TimeSpan.FromHours(1));
            string other = Aged("notes.txt", TimeSpan.FromDays(400));

            Assert.Equal(2, BatchDataFolder.Prune(_run.Mappings, now));

            Assert.False(File.Exists(old));
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(young));
            Assert.True(File.Exists(writing));
            Assert.True(File.Exists(other));
            Assert.Equal(0, BatchDataFolder.Prune(Path.Combine(_run.Folder, "none"), now));
        }

        [Fact]
        public async Task Starting_a_batch_prunes_the_old_mappings_and_says_so()
        {
            Directory.CreateDirectory(_run.Mappings);
            string old = Path.Combine(_run.Mappings, "batch_last_year.jsonl");
            File.WriteAllText(old, "{}\n");
            File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-31));
            TestClient test = _fixture.CreateClient();

            QwenBatch batch = await _run.StartAsync(test, _run.Options(), "hello");

            Assert.False(File.Exists(old));
            Assert.True(File.Exists(batch.MappingPath));
            Assert.Contains("Deleted 1 batch mapping file(s) older than 30 days from " + _run.Mappings + ": DashScope no longer returns their batches.", test.Output.Verbose);
        }

        [Fact]
        public void Remove_deletes_one_batch_s_mapping_and_reports_a_missing_one_or_an_unsafe_id_as_none()
        {
            Directory.CreateDirectory(_run.Mappings);
            string path = Path.Combine(_run.Mappings, "batch_a.jsonl");
            File.WriteAllText(path, "{}\n");
            File.WriteAllText(Path.Combine(_run.Mappings, "batch_b.jsonl"), "{}\n");

            Assert.True(BatchDataFolder.Remove(_run.Mappings, "batch_a"));
            Assert.False(File.Exists(path));
            Assert.True(File.Exists(Path.Combine(_run.Mappings, "batch_b.jsonl")));
            Assert.False(BatchDataFolder.Remove(_run.Mappings, "batch_a"));
            Assert.False(BatchDataFolder.Remove(_run.Mappings, "../batch_b"));
        }
    }
}
