using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Files;
using QwenPS.Output;
using QwenPS.TestServer;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Client
{
    public sealed class FilesClientTests : IClassFixture<ServerFixture>, IDisposable
    {
        private readonly ServerFixture _fixture;
        private readonly TempFolder _folder = new TempFolder("files");

        public FilesClientTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        public void Dispose() => _folder.Dispose();

        private DashScopeTestServer Server => _fixture.Server;

        private string Write(string name, string text) => _folder.Write(name, text);

        [Fact]
        public async Task Upload_streams_the_file_as_multipart_and_returns_the_file_object()
        {
            TestClient test = _fixture.CreateClient();
            string path = Write("年度报告.md", "# 标题\n内容");
            QwenFileInfo file = await test.Files.UploadFileAsync(path, "file-extract", CancellationToken.None);

            Assert.StartsWith("file-fe-", file.Id);
            Assert.Equal("年度报告.md", file.FileName);
            Assert.Equal(new FileInfo(path).Length, file.Bytes);
            Assert.Equal("file-extract", file.Purpose);
            Assert.Equal("processing", file.Status);
            Assert.Equal("fileid://" + file.Id, file.FileReference);
            RecordedRequest upload = Server.Requests.Single();
            Assert.Equal("年度报告.md", upload.Upload!.FileName);
            Assert.Equal(file.Bytes, upload.Upload.Length);
            Assert.StartsWith("multipart/form-data", upload.Header("Content-Type"));
            Assert.NotNull(upload.Header("Content-Length"));
        }

        [Fact]
        public async Task A_jsonl_file_uploads_for_batch()
        {
            TestClient test = _fixture.CreateClient();
            QwenFileInfo file = await test.Files.UploadFileAsync(Write("requests.jsonl", "{\"custom_id\":\"1\"}\n"), FilePurposes.Batch, CancellationToken.None);

            Assert.Equal("batch", file.Purpose);
            Assert.Equal("batch", Server.Requests.Single().Upload!.Purpose);
        }

        [Fact]
        public async Task Content_is_streamed_into_the_sink_and_an_unknown_id_is_refused()
        {
            TestClient test = _fixture.CreateClient();
            byte[] bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251)).ToArray();
            Server.Files.Add("file-batch_output-1", "result.jsonl", bytes, status: "processed");

            using var sink = new MemoryStream();
            long written = await test.Files.DownloadContentAsync("file-batch_output-1", sink, CancellationToken.None);

            Assert.Equal(bytes.Length, written);
            Assert.Equal(bytes, sink.ToArray());
            Assert.Equal("/files/file-batch_output-1/content", Server.Requests.Single().Path);
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Files.DownloadContentAsync("file-nope", new MemoryStream(), CancellationToken.None));
            Assert.Equal(404, error.StatusCode);
            Assert.Equal("file-nope", error.Target);
        }

        [Fact]
        public async Task Upload_bigger_than_one_read_completes_with_progress()
        {
            TestClient test = _fixture.CreateClient();
            string path = _folder["big.txt"];
            File.WriteAllBytes(path, Enumerable.Repeat((byte)'a', 1024 * 1024).ToArray());

            QwenFileInfo file = await test.Files.UploadFileAsync(path, "file-extract", CancellationToken.None);

            Assert.Equal(1024 * 1024, file.Bytes);
            Assert.Equal(1024 * 1024, Server.Requests.Single().Upload!.Length);
            IReadOnlyList<QwenProgress> progress = test.Output.Progress;
            Assert.True(progress[0].PercentComplete < 100 && !progress[0].Completed);
            Assert.True(progress[^1].Completed);
        }

        [Fact]
        public async Task Get_list_and_delete_round_trip()
        {
            TestClient test = _fixture.CreateClient();
            QwenFileInfo a = await test.Files.UploadFileAsync(Write("a.txt", "a"), "file-extract", CancellationToken.None);
            QwenFileInfo b = await test.Files.UploadFileAsync(Write("b.txt", "b"), "file-extract", CancellationToken.None);

            Assert.Equal("processed", (await test.Files.GetFileAsync(a.Id, CancellationToken.None)).Status);
            var listed = new List<QwenFileInfo>();
            await test.Files.ListFilesAsync("file-extract", 1, listed.Add, CancellationToken.None);
            Assert.Equal(new[] { a.Id, b.Id }, listed.Select(f => f.Id));
            Assert.Contains(Server.Requests, r => r.Query.Contains("after=" + a.Id));

            await test.Files.DeleteFileAsync(a.Id, CancellationToken.None);
            Assert.Null(Server.Files.Get(a.Id));
            QwenException missing = await Assert.ThrowsAsync<QwenException>(() => test.Files.GetFileAsync(a.Id, CancellationToken.None));
            Assert.Equal(QwenErrorIds.NotFound, missing.ErrorId);
            Assert.Equal(a.Id, missing.Target);
        }

        [Fact]
        public async Task Waiting_polls_until_processed()
        {
            Server.Files.ProcessingPolls = 3;
            TestClient test = _fixture.CreateClient();
            QwenFileInfo file = await test.Files.UploadFileAsync(Write("doc.txt", "x"), "file-extract", CancellationToken.None);
            QwenFileInfo processed = await test.Files.WaitForFileAsync(file, TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.Equal("processed", processed.Status);
            Assert.Equal(3, Server.Requests.Count(r => r.Method == "GET"));
        }

        [Fact]
        public async Task A_processing_error_status_fails_with_the_details()
        {
            Server.Files.FinalStatus = "error";
            Server.Files.FinalStatusDetails = "File parsing failed.";
            TestClient test = _fixture.CreateClient();
            QwenFileInfo file = await test.Files.UploadFileAsync(Write("doc.txt", "x"), "file-extract", CancellationToken.None);
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Files.WaitForFileAsync(file, TimeSpan.FromSeconds(30), CancellationToken.None));
            Assert.Equal(QwenErrorIds.FileProcessingFailed, error.ErrorId);
            Assert.Contains("File parsing failed.", error.Message);
            Assert.Equal(file.Id, error.Target);
        }

        [Fact]
        public async Task Processing_that_never_ends_times_out_within_the_bound()
        {
            Server.Files.ProcessingPolls = int.MaxValue;
            TestClient test = _fixture.CreateClient(settings => settings.Delay = Task.Delay);
            QwenFileInfo file = await test.Files.UploadFileAsync(Write("doc.txt", "x"), "file-extract", CancellationToken.None);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Files.WaitForFileAsync(file, TimeSpan.FromMilliseconds(500), CancellationToken.None));
            Assert.Equal(QwenErrorIds.FileProcessingTimeout, error.ErrorId);
            Assert.Equal(QwenErrorCategory.OperationTimeout, error.Category);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), clock.Elapsed.ToString());
        }

        [Fact]
        public async Task Bad_files_fail_before_any_request()
        {
            TestClient test = _fixture.CreateClient();
            string empty = Write("empty.txt", string.Empty);
            string exe = Write("tool.exe", "MZ");
            string good = Write("fine.txt", "ok");

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => FileReferences.UploadAsync(test.Client, new[] { good, empty }, TimeSpan.FromSeconds(5), CancellationToken.None));
            Assert.Equal(QwenErrorIds.FileEmpty, error.ErrorId);
            error = await Assert.ThrowsAsync<QwenException>(() => FileReferences.UploadAsync(test.Client, new[] { exe }, TimeSpan.FromSeconds(5), CancellationToken.None));
            Assert.Equal(QwenErrorIds.UnsupportedFileType, error.ErrorId);
            Assert.Empty(Server.Requests);
        }

        [Fact]
        public async Task More_than_a_hundred_files_fail_before_any_upload()
        {
            TestClient test = _fixture.CreateClient();
            string[] paths = Enumerable.Range(0, 101).Select(i => Write("f" + i + ".txt", "x")).ToArray();
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => FileReferences.UploadAsync(test.Client, paths, TimeSpan.FromSeconds(5), CancellationToken.None));
            Assert.Equal(QwenErrorCategory.LimitsExceeded, error.Category);
            Assert.Empty(Server.Requests);
        }

        [Fact]
        public async Task The_timeout_budget_belongs_to_the_command_not_to_each_request()
        {
            // Get-QwenFile and Remove-QwenFile make one client per id; they share the command's deadline.
            Server.Files.Add("file-fe-1", "a.txt", new byte[] { 1 });
            // 1.5 s: the first call must fit in it even on a loaded CI box.
            TimeSpan budget = TimeSpan.FromMilliseconds(1500);
            var commandDeadline = new QwenPS.Transport.Deadline(budget);
            TestClient first = _fixture.CreateClient(settings => { settings.TotalTimeout = budget; settings.CommandDeadline = commandDeadline; });
            Assert.Equal("file-fe-1", (await first.Files.GetFileAsync("file-fe-1", CancellationToken.None)).Id);

            await Task.Delay(budget + TimeSpan.FromMilliseconds(100));
            TestClient second = _fixture.CreateClient(settings => { settings.TotalTimeout = budget; settings.CommandDeadline = commandDeadline; });
            QwenException error = await Assert.ThrowsAsync<QwenException>(() => second.Files.GetFileAsync("file-fe-1", CancellationToken.None));

            Assert.Equal(QwenErrorIds.Timeout, error.ErrorId);
            Assert.Single(Server.Requests);
        }

        [Fact]
        public async Task Piped_files_and_stored_files_become_one_reference_in_the_order_given()
        {
            // Get-ChildItem and Get-QwenFile output mixed: a stored file already processed (no request), a local
            // file (upload, then wait), and a stored file still processing (waited for).
            Server.Files.Add("file-fe-done", "old.pdf", new byte[] { 1 });
            Server.Files.Add("file-fe-busy", "busy.pdf", new byte[] { 2 }, status: "processing");
            TestClient test = _fixture.CreateClient();
            var sources = new[]
            {
                FileReferenceSource.FromPipeline(new QwenFileInfo("file-fe-done", "old.pdf", 1, "file-extract", "processed", null, null))!,
                FileReferenceSource.FromPipeline(new FileInfo(Write("new.md", "# new")))!,
                FileReferenceSource.FromPipeline(new QwenFileInfo("file-fe-busy", "busy.pdf", 1, "file-extract", "processing", null, null))!,
            };

            QwenMessage reference = await FileReferenceOperation.ReferenceAsync(test.Client, sources, TimeSpan.FromSeconds(5), CancellationToken.None);

            string uploaded = Server.Files.List().Single(f => f.FileName == "new.md").Id;
            Assert.Equal(QwenRole.System, reference.RoleValue);
            Assert.Equal("fileid://file-fe-done,fileid://" + uploaded + ",fileid://file-fe-busy", reference.Content);
            Assert.Equal(
                new[] { "POST /files", "GET /files/" + uploaded, "GET /files/file-fe-busy" },
                Server.Requests.Select(r => r.Method + " " + r.Path));
        }

        [Fact]
        public async Task Two_uploads_become_one_reference_message()
        {
            TestClient test = _fixture.CreateClient();
            QwenMessage message = await FileReferences.UploadAsync(
                test.Client, new[] { Write("one.txt", "1"), Write("two.csv", "a,b") }, TimeSpan.FromSeconds(10), CancellationToken.None);
            string[] ids = Server.Files.List().Select(f => f.Id).ToArray();
            Assert.Equal("fileid://" + ids[0] + ",fileid://" + ids[1], message.Content);
            Assert.Equal(QwenRole.System, message.RoleValue);
        }
    }
}
