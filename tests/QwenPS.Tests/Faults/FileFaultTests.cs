using System;
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

namespace QwenPS.Tests.Faults
{
    /// <summary>The Files API: bad files caught before sending, uploads retried, processing that fails or never ends.</summary>
    public sealed class FileFaultTests : FaultTestBase, IDisposable
    {
        private readonly TempFolder _folder = new TempFolder("filefaults");

        public FileFaultTests(FaultFixture fixture)
            : base(fixture)
        {
        }

        public void Dispose() => _folder.Dispose();

        private string Write(string name, string text) => _folder.Write(name, text);

        private string Sized(string name, long bytes) => _folder.Sized(name, bytes);

        private static Task<FaultOutcome> Upload(TestClient test, string path, CancellationToken token = default) =>
            Fault.RunAsync(test, () => test.Files.UploadFileAsync(path, FilePurposes.FileExtract, token));

        [Fact]
        public async Task Uploading_a_missing_file_fails_before_any_request()
        {
            string path = _folder["missing.pdf"];
            FaultOutcome outcome = (await Upload(Fixture.CreateClient(), path)).Verify(Server, requests: 0, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound);
            Assert.Equal(path, error.Target);
        }

        [Fact]
        public async Task Uploading_an_empty_file_fails_before_any_request()
        {
            string path = Write("empty.txt", string.Empty);
            FaultOutcome outcome = (await Upload(Fixture.CreateClient(), path)).Verify(Server, requests: 0, within: Fault.Quick);

            Assert.Equal(path, outcome.Failure(QwenErrorIds.FileEmpty, QwenErrorCategory.InvalidArgument).Target);
        }

        [Theory]
        [InlineData("huge.pdf", FileUploadRules.MaxDocumentBytes + 1, "150 MB")]
        [InlineData("huge.png", FileUploadRules.MaxImageBytes + 1, "20 MB")]
        public async Task Uploading_a_file_over_the_limit_fails_before_any_request(string name, long bytes, string limit)
        {
            string path = Sized(name, bytes);
            FaultOutcome outcome = (await Upload(Fixture.CreateClient(), path)).Verify(Server, requests: 0, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.FileTooLarge, QwenErrorCategory.LimitsExceeded);
            Assert.Contains(limit, error.Message);
        }

        [Fact]
        public async Task A_file_exactly_at_the_image_limit_is_uploaded()
        {
            string path = Sized("edge.png", FileUploadRules.MaxImageBytes);
            FaultOutcome outcome = await Upload(Fixture.CreateClient(), path);
            Assert.True(outcome.Error == null, outcome.Error?.ToString());
            outcome.Verify(Server, requests: 1, within: TimeSpan.FromSeconds(15));

            Assert.Equal(FileUploadRules.MaxImageBytes, outcome.Success<QwenFileInfo>().Bytes);
        }

        [Fact]
        public async Task An_upload_bigger_than_one_read_reports_progress_and_arrives_whole()
        {
            string path = Write("report.csv", string.Concat(Enumerable.Repeat("a,b,c,d,e,f,g,h\n", 40000)));
            TestClient test = Fixture.CreateClient(s => s.ProgressInterval = TimeSpan.Zero);
            FaultOutcome outcome = (await Upload(test, path)).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.Equal(new FileInfo(path).Length, outcome.Success<QwenFileInfo>().Bytes);
            int[] percents = outcome.Output.Progress.Where(p => !p.Completed).Select(p => p.PercentComplete).ToArray();
            Assert.True(percents.Length > 2, "progress updates: " + percents.Length);
            Assert.Equal(percents.OrderBy(p => p), percents);
            Assert.Equal(100, percents[^1]);
        }

        [Fact]
        public async Task A_name_with_non_ascii_characters_arrives_exactly()
        {
            const string name = "季度报告 – Überblick «final» 😀.md";
            string path = Write(name, "# 标题");
            FaultOutcome outcome = (await Upload(Fixture.CreateClient(), path)).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.Equal(name, outcome.Success<QwenFileInfo>().FileName);
            Assert.Equal(name, Server.Requests[0].Upload!.FileName);
        }

        [Theory]
        [InlineData(503)]
        [InlineData(429)]
        public async Task An_upload_refused_with_a_transient_status_is_sent_again_with_the_same_bytes(int status)
        {
            Server.Enqueue(ServerBehavior.Status(status).ForPath("/files"));
            string path = Write("notes.txt", string.Concat(Enumerable.Repeat("line of text\n", 5000)));
            FaultOutcome outcome = (await Upload(Fixture.CreateClient(), path)).Verify(Server, requests: 2, within: Fault.Quick);

            outcome.Success<QwenFileInfo>();
            Assert.Equal(Server.Requests[0].Upload!.Sha256Hex, Server.Requests[1].Upload!.Sha256Hex);
            Assert.Equal(new FileInfo(path).Length, Server.Requests[1].Upload!.Length);
            Assert.Single(outcome.Output.Warnings);
        }

        [Fact]
        public async Task An_upload_answered_with_html_is_UnexpectedResponse()
        {
            Server.Enqueue(ServerBehavior.Body(200, "<html>login</html>", "text/html").ForPath("/files"));
            FaultOutcome outcome = (await Upload(Fixture.CreateClient(), Write("a.txt", "a"))).Verify(Server, requests: 1, within: Fault.Quick);

            outcome.Failure(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.ProtocolError);
        }

        [Fact]
        public async Task A_file_that_cannot_be_opened_is_a_clear_error_naming_it()
        {
            string path = Write("locked.txt", "in use");
            using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                FaultOutcome outcome = (await Upload(Fixture.CreateClient(), path)).Verify(Server, requests: 0, within: Fault.Quick);

                QwenException error = outcome.Failure(QwenErrorIds.FileReadFailed, QwenErrorCategory.ReadError);
                Assert.Equal(path, error.Target);
            }
        }

        [Fact]
        public async Task Processing_that_ends_in_an_error_status_is_FileProcessingFailed()
        {
            Server.Files.ProcessingPolls = 2;
            Server.Files.FinalStatus = "error";
            Server.Files.FinalStatusDetails = "File parsing failed: encrypted PDF.";
            TestClient test = Fixture.CreateClient();
            QwenFileInfo file = await test.Files.UploadFileAsync(Write("doc.txt", "x"), FilePurposes.FileExtract, CancellationToken.None);

            FaultOutcome outcome = (await Fault.RunAsync(test, () => test.Files.WaitForFileAsync(file, TimeSpan.FromSeconds(30), CancellationToken.None))).Verify(Server, requests: 3, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.FileProcessingFailed, QwenErrorCategory.InvalidData);
            Assert.Contains("encrypted PDF", error.Message);
            Assert.Equal(file.Id, error.Target);
            Assert.Contains(outcome.Output.Progress, p => p.Completed);
        }

        [Fact]
        public async Task Processing_that_never_finishes_is_FileProcessingTimeout_within_the_bound()
        {
            Server.Files.ProcessingPolls = int.MaxValue;
            TestClient test = Fixture.CreateClient(s =>
            {
                s.Delay = Task.Delay;
                s.PollInterval = _ => TimeSpan.FromMilliseconds(100);
            });
            QwenFileInfo file = await test.Files.UploadFileAsync(Write("doc.txt", "x"), FilePurposes.FileExtract, CancellationToken.None);

            FaultOutcome outcome = await Fault.RunAsync(test, () => test.Files.WaitForFileAsync(file, TimeSpan.FromMilliseconds(600), CancellationToken.None));
            outcome.Verify(server: null, requests: 0, within: TimeSpan.FromSeconds(3));

            QwenException error = outcome.Failure(QwenErrorIds.FileProcessingTimeout, QwenErrorCategory.OperationTimeout);
            Assert.Contains("-ProcessingTimeoutSec", error.Message);
            // About six polls fit in 600 ms at one per 100 ms; a poll that a loaded host answers late is retried, so the
            // bound is loose. What it rules out is polling without waiting (hundreds of requests).
            Assert.InRange(Server.Requests.Count(r => r.Method == "GET"), 2, 30);
            // It gives up once the next poll would land past the bound, so no earlier than one interval before it.
            Assert.True(outcome.Elapsed >= TimeSpan.FromMilliseconds(600 - 100 - 50), "Gave up too early: " + outcome.Elapsed);
        }

        [Fact]
        public async Task A_status_poll_that_hangs_is_still_bounded_by_the_processing_timeout()
        {
            Server.Files.ProcessingPolls = int.MaxValue;
            TestClient test = Fixture.CreateClient(s => s.Delay = Task.Delay);
            QwenFileInfo file = await test.Files.UploadFileAsync(Write("doc.txt", "x"), FilePurposes.FileExtract, CancellationToken.None);
            Server.Enqueue(ServerBehavior.DelayThen(TimeSpan.FromSeconds(30)).ForMethod("GET"), times: 4);

            FaultOutcome outcome = await Fault.RunAsync(test, () => test.Files.WaitForFileAsync(file, TimeSpan.FromMilliseconds(500), CancellationToken.None));
            outcome.Verify(Server, requests: 2, within: TimeSpan.FromSeconds(3));

            outcome.Failure(QwenErrorIds.FileProcessingTimeout, QwenErrorCategory.OperationTimeout);
            Server.ClearBehaviors();
            await Fault.AssertServerIdleAsync(Server);
        }

        [Fact]
        public async Task Upload_and_reference_checks_every_file_before_sending_any()
        {
            string good = Write("good.txt", "ok");
            string missing = _folder["gone.txt"];
            TestClient test = Fixture.CreateClient();

            FaultOutcome outcome = (await Fault.RunAsync(test, () => FileReferences.UploadAsync(test.Client, new[] { good, missing }, TimeSpan.FromSeconds(5), CancellationToken.None)))
                .Verify(Server, requests: 0, within: Fault.Quick);

            Assert.Equal(missing, outcome.Failure(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound).Target);
        }
    }
}
