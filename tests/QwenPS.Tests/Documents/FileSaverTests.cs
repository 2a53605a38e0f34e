using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Files;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Documents
{
    /// <summary>Save-QwenFileContent's file handling: whole files only, under the real name, old files kept on failure.</summary>
    public sealed class FileSaverTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder("saver");

        public void Dispose() => _folder.Dispose();

        private static Func<Stream, CancellationToken, Task<long>> Writes(string text) => async (sink, token) =>
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            await sink.WriteAsync(bytes, 0, bytes.Length, token);
            return bytes.Length;
        };

        /// <summary>Writes some bytes, then fails as a cut connection does.</summary>
        private static Func<Stream, CancellationToken, Task<long>> BreaksAfter(int bytes) => async (sink, token) =>
        {
            await sink.WriteAsync(new byte[bytes], 0, bytes, token);
            throw new QwenException(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError, "The response broke.") { RequestId = "req-1" };
        };

        [Fact]
        public async Task A_whole_download_lands_under_the_real_name_with_nothing_left_beside_it()
        {
            string path = _folder["out.jsonl"];
            long written = await FileSaver.SaveAsync(path, false, Writes("{\"a\":1}\n"), "file-batch_output-1", CancellationToken.None);

            Assert.Equal(8, written);
            Assert.Equal("{\"a\":1}\n", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(_folder.Path));
        }

        [Fact]
        public async Task An_existing_file_is_kept_without_force_and_replaced_with_it()
        {
            string path = _folder.Write("out.jsonl", "old");
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => FileSaver.SaveAsync(path, false, Writes("new"), "id", CancellationToken.None));
            Assert.Equal(QwenErrorIds.DestinationExists, error.ErrorId);
            Assert.Equal(QwenErrorCategory.ResourceExists, error.Category);
            Assert.Equal("old", File.ReadAllText(path));

            await FileSaver.SaveAsync(path, true, Writes("new"), "id", CancellationToken.None);
            Assert.Equal("new", File.ReadAllText(path));
        }

        [Fact]
        public async Task A_cut_download_leaves_neither_a_truncated_file_nor_a_partial_one_and_says_how_much_arrived()
        {
            string path = _folder["out.jsonl"];
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => FileSaver.SaveAsync(path, false, BreaksAfter(1234), "file-batch_output-1", CancellationToken.None));

            Assert.Equal(QwenErrorIds.StreamInterrupted, error.ErrorId);
            Assert.Contains("1234 byte(s) had arrived", error.Message);
            Assert.Equal("file-batch_output-1", error.Target);
            Assert.Equal("req-1", error.RequestId);
            Assert.Empty(Directory.GetFiles(_folder.Path));
        }

        [Fact]
        public async Task A_failed_forced_download_keeps_the_old_file()
        {
            string path = _folder.Write("out.jsonl", "old");
            await Assert.ThrowsAsync<QwenException>(() => FileSaver.SaveAsync(path, true, BreaksAfter(10), "id", CancellationToken.None));
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(_folder.Path));
        }

        [Fact]
        public async Task A_stop_removes_the_partial_file()
        {
            string path = _folder["out.jsonl"];
            using var stop = new CancellationTokenSource();
            Func<Stream, CancellationToken, Task<long>> download = async (sink, token) =>
            {
                await sink.WriteAsync(new byte[100], 0, 100, token);
                stop.Cancel();
                token.ThrowIfCancellationRequested();
                return 100;
            };

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FileSaver.SaveAsync(path, false, download, "id", stop.Token));
            Assert.Empty(Directory.GetFiles(_folder.Path));
        }

        [Fact]
        public async Task A_directory_or_a_missing_folder_is_refused_before_anything_is_downloaded()
        {
            bool called = false;
            Func<Stream, CancellationToken, Task<long>> download = (sink, token) =>
            {
                called = true;
                return Task.FromResult(0L);
            };

            Assert.Equal(QwenErrorIds.DestinationExists, (await Assert.ThrowsAsync<QwenException>(() => FileSaver.SaveAsync(_folder.Path, true, download, "id", CancellationToken.None))).ErrorId);
            Assert.Equal(QwenErrorIds.FileNotFound, (await Assert.ThrowsAsync<QwenException>(() => FileSaver.SaveAsync(Path.Combine(_folder.Path, "no", "x.jsonl"), true, download, "id", CancellationToken.None))).ErrorId);
            Assert.False(called);
        }
    }
}
