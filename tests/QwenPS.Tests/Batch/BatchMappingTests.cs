using System.IO;
using System.Linq;
using System.Threading;
using QwenPS.Batch;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Batch
{
    public sealed class BatchMappingTests : System.IDisposable
    {
        private readonly TempFolder _folder = new TempFolder("mapping");

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void A_committed_mapping_reads_back_ids_positions_and_texts_by_id()
        {
            string path;
            using (var writer = new BatchMappingWriter(_folder.Path, "qwen-plus", BatchEndpoints.ChatCompletions))
            {
                writer.Add(0, "T-1", "第一 \"ticket\"\nline two");
                writer.Add(1, "T-2", null);
                writer.Add(2, "T-3", "third");
                path = writer.Commit("batch_0f3a-1");
            }

            Assert.Equal(Path.Combine(_folder.Path, "batch_0f3a-1.jsonl"), path);
            Assert.Single(Directory.GetFiles(_folder.Path));
            using BatchMapping mapping = BatchMapping.TryOpen(path, CancellationToken.None)!;
            Assert.Equal(("qwen-plus", "/v1/chat/completions", 3), (mapping.Model, mapping.Endpoint, mapping.Count));
            Assert.Equal(new[] { "T-1", "T-2", "T-3" }, mapping.CustomIds);
            Assert.True(mapping.TryGetIndex("T-3", out int index));
            Assert.Equal(2, index);
            Assert.False(mapping.TryGetIndex("T-9", out _));
            Assert.Equal("third", mapping.ReadText("T-3"));
            Assert.Equal("第一 \"ticket\"\nline two", mapping.ReadText("T-1"));
            Assert.Null(mapping.ReadText("T-2"));
        }

        [Fact]
        public void An_uncommitted_mapping_is_deleted()
        {
            using (var writer = new BatchMappingWriter(_folder.Path, "m", BatchEndpoints.ChatCompletions))
            {
                writer.Add(0, "a", "x");
                Assert.True(File.Exists(writer.PendingPath));
            }

            Assert.Empty(Directory.GetFiles(_folder.Path));
        }

        [Fact]
        public void A_missing_mapping_is_null_and_a_foreign_file_is_a_clear_error()
        {
            Assert.Null(BatchMapping.TryOpen(_folder["none.jsonl"], CancellationToken.None));
            string foreign = _folder.Write("batch_x.jsonl", "{\"custom_id\":\"a\"}\n");

            QwenException error = Assert.Throws<QwenException>(() => BatchMapping.TryOpen(foreign, CancellationToken.None));

            Assert.Equal(QwenErrorIds.BatchMappingNotFound, error.ErrorId);
            Assert.Contains("no QwenPS header", error.Message);
        }

        [Theory]
        [InlineData("batch_8c1e-22", true)]
        [InlineData("../../etc/passwd", false)]
        [InlineData("a/b", false)]
        [InlineData("..", false)]
        [InlineData("", false)]
        public void Only_safe_batch_ids_become_file_names(string id, bool safe)
        {
            Assert.Equal(safe, BatchDataFolder.MappingPath(_folder.Path, id) != null);
        }

        [Fact]
        public void The_data_folder_honours_QWENPS_DATA_HOME()
        {
            Assert.Equal(Path.Combine(_folder.Path, "batches"), BatchDataFolder.Resolve(name => name == "QWENPS_DATA_HOME" ? _folder.Path : null));
            Assert.EndsWith(Path.Combine("QwenPS", "batches"), BatchDataFolder.Resolve(_ => null));
        }
    }
}
