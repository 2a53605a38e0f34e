using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Documents;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Output;
using QwenPS.Transport;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Documents
{
    /// <summary>
    /// Invoke-QwenDocumentChat's engine against the test server: one conversation per document, failures kept per
    /// document, no double uploads (within a run and across runs), the upload rate and a Retry-After shared by
    /// every worker, text inline, parsing waited out, and a stop that ends everything at once.
    /// </summary>
    public sealed class DocumentChatTests : IClassFixture<ServerFixture>, IDisposable
    {
        private const string Prompt = "Summarise in five bullet points";

        private readonly ServerFixture _fixture;
        private readonly TempFolder _folder = new TempFolder("docchat");
        private readonly TempFolder _data = new TempFolder("docdata");

        public DocumentChatTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        public void Dispose()
        {
            _folder.Dispose();
            _data.Dispose();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private static DocumentChatOptions Options(Action<DocumentChatOptions>? configure = null)
        {
            var options = new DocumentChatOptions(Prompt, new ChatRequest(DocumentChatOptions.DefaultModel, Array.Empty<QwenMessage>()));
            configure?.Invoke(options);
            return options;
        }

        private FileIdIndex Index() => FileIdIndex.Load(_data.Path, Server.BaseUri, _fixture.Key, _ => { });

        private async Task<(TestClient Test, DocumentChatOperation Operation)> RunAsync(IReadOnlyList<DocumentInput> documents, DocumentChatOptions options, FileIdIndex? index = null, RequestGate? gate = null)
        {
            TestClient test = _fixture.CreateClient(settings => settings.Gate = gate ?? new RequestGate());
            var operation = new DocumentChatOperation(test.Client, options, index, test.Output);
            await operation.RunAsync(documents, CancellationToken.None);
            return (test, operation);
        }

        private List<DocumentInput> Write(int count, Func<int, string>? name = null)
            => Enumerable.Range(1, count).Select(i => DocumentInput.Local(_folder.Write(name?.Invoke(i) ?? "report-" + i.ToString("00") + ".txt", "Report number " + i))).ToList();

        private List<RecordedRequest> Chats => Server.Requests.Where(r => r.Path == "/chat/completions").ToList();

        private List<RecordedRequest> Uploads => Server.Requests.Where(r => r.Path == "/files" && r.Method == "POST").ToList();

        [Fact]
        public async Task Forty_documents_with_one_that_fails_to_parse_give_forty_results_and_one_error()
        {
            List<DocumentInput> documents = Write(40);
            Server.Files.Rules.Add(new FileRule("report-17.txt", TimeSpan.Zero, "error", "The file could not be parsed."));

            // The upload rate has its own test; here it would only make the run slow.
            var (test, operation) = await RunAsync(documents, Options(), gate: new RequestGate(uploadsPerSecond: 1000));

            List<QwenDocumentAnswer> answers = test.Output.Objects.Cast<QwenDocumentAnswer>().ToList();
            Assert.Equal(40, answers.Count);
            Assert.Equal(documents.Select(d => d.Display).OrderBy(p => p), answers.Select(a => a.Document).OrderBy(p => p));
            QwenDocumentAnswer bad = Assert.Single(answers, a => !a.Succeeded);
            Assert.Equal("report-17.txt", bad.Name);
            Assert.Equal(QwenErrorIds.FileProcessingFailed, bad.ErrorId);
            Assert.Contains("could not be parsed", bad.Error);
            Assert.Null(bad.Content);

            // Every good answer is the server's answer to the prompt about that document's own file.
            foreach (QwenDocumentAnswer good in answers.Where(a => a.Succeeded))
            {
                string id = Server.Files.List().Single(f => f.FileName == good.Name).Id;
                Assert.Equal(id, good.FileId);
                Assert.Equal("Answer to: " + Prompt + " [files: " + id + "]", good.Content);
                Assert.Equal("qwen-long", good.Model);
                Assert.NotNull(good.RequestId);
                Assert.True(good.Usage!.TotalTokens > 0);
                Assert.False(good.Reused);
            }

            QwenException error = Assert.Single(test.Output.Errors);
            Assert.Equal(documents[16].Target, error.Target);
            Assert.Equal(1, operation.Failed);
            Assert.Equal(40, Uploads.Count);
            Assert.Equal(39, Chats.Count);
            Assert.All(Chats, chat =>
            {
                var messages = chat.BodyJson!["messages"]!.AsArray();
                Assert.Equal(new[] { "system", "system", "user" }, messages.Select(m => (string?)m!["role"]));
                Assert.Equal(DocumentChatOptions.DefaultSystemPrompt, (string?)messages[0]!["content"]);
                Assert.StartsWith("fileid://file-fe-", (string?)messages[1]!["content"]);
                Assert.Equal(Prompt, (string?)messages[2]!["content"]);
            });
            QwenProgress last = test.Output.Progress.Last(p => p.Activity == DocumentChatOperation.Activity);
            Assert.True(last.Completed);
            Assert.Equal("40 of 40 documents, 0 running, 1 failed", last.Status);
            Assert.Contains(test.Output.Progress, p => p.Status.Contains(" running, ") && !p.Status.Contains(" 0 running"));
        }

        [Fact]
        public async Task Identical_contents_are_uploaded_once_and_a_later_run_reuses_the_id_after_checking_it()
        {
            var documents = new List<DocumentInput>
            {
                DocumentInput.Local(_folder.Write("a.txt", "same bytes")),
                DocumentInput.Local(_folder.Write("copy-of-a.txt", "same bytes")),
                DocumentInput.Local(_folder.Write("b.txt", "other bytes")),
            };

            var (first, _) = await RunAsync(documents, Options(), Index());
            Assert.Equal(2, Uploads.Count);
            List<QwenDocumentAnswer> answers = first.Output.Objects.Cast<QwenDocumentAnswer>().ToList();
            Assert.Equal(answers.Single(a => a.Name == "a.txt").FileId, answers.Single(a => a.Name == "copy-of-a.txt").FileId);

            Server.ClearRequests();
            var (second, _) = await RunAsync(documents, Options(), Index());
            Assert.Empty(Uploads);
            Assert.All(second.Output.Objects.Cast<QwenDocumentAnswer>(), a => Assert.True(a.Reused && a.Succeeded));
            Assert.Equal(2, Server.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/files/", StringComparison.Ordinal)));

            // A file deleted behind the index's back is noticed and uploaded again.
            Server.Files.Delete(answers.Single(a => a.Name == "b.txt").FileId!);
            Server.ClearRequests();
            var (third, _) = await RunAsync(documents, Options(), Index());
            Assert.Equal("b.txt", Assert.Single(Uploads).Upload!.FileName);
            Assert.False(third.Output.Objects.Cast<QwenDocumentAnswer>().Single(a => a.Name == "b.txt").Reused);
        }

        [Fact]
        public async Task NoReuse_ignores_the_index_and_RemoveAfter_deletes_only_what_this_run_uploaded()
        {
            List<DocumentInput> documents = Write(3);
            await RunAsync(documents.Take(1).ToList(), Options(), Index());
            string kept = Server.Files.List().Single().Id;

            Server.ClearRequests();
            await RunAsync(documents, Options(o => o.RemoveAfter = true), Index());
            Assert.Equal(2, Uploads.Count);
            Assert.Equal(new[] { kept }, Server.Files.List().Select(f => f.Id));
            Assert.Equal(2, Server.Requests.Count(r => r.Method == "DELETE"));
            Assert.Null(Index().Find(FileIdIndex.Sha256OfFile(documents[1].LocalPath!)));

            Server.ClearRequests();
            await RunAsync(documents, Options(o => o.NoReuse = true), Index());
            Assert.Equal(3, Uploads.Count);
        }

        [Fact]
        public async Task Uploads_from_eight_workers_stay_within_three_per_second()
        {
            Server.Files.Rules.UploadsPerSecond = 3;
            List<DocumentInput> documents = Write(8);

            var (test, _) = await RunAsync(documents, Options(o => o.ThrottleLimit = 8));

            string seen = string.Join(", ", Server.Requests.Where(r => r.Path == "/files" && r.Method == "POST").Select(u => u.ReceivedAt.ToString("ss.fff") + "=" + u.ResponseStatus));
            Assert.True(Server.Files.Rules.ThrottledUploads == 0, "uploads seen: " + seen);
            Assert.Equal(8, Uploads.Count);
            Assert.All(test.Output.Objects.Cast<QwenDocumentAnswer>(), a => Assert.True(a.Succeeded, a.Error));
            List<DateTimeOffset> arrivals = Uploads.Select(u => u.ReceivedAt).OrderBy(t => t).ToList();
            for (int i = 3; i < arrivals.Count; i++)
            {
                Assert.True(arrivals[i] - arrivals[i - 3] >= TimeSpan.FromSeconds(1), string.Join(", ", arrivals.Select(a => a.ToString("HH:mm:ss.fff"))));
            }
        }

        [Fact]
        public async Task A_retry_after_one_worker_receives_holds_every_worker()
        {
            foreach (string id in new[] { "file-fe-1", "file-fe-2", "file-fe-3", "file-fe-4", "file-fe-5" })
            {
                Server.Files.Add(id, id + ".txt", Encoding.UTF8.GetBytes(id));
            }

            // The first chat is told to wait a second; the second is slow, so its worker asks again only after that answer.
            Server.Enqueue(ServerBehavior.Error(429, "limit_requests", "Requests rate limit exceeded, please try again later.", "limit_requests",
                new Dictionary<string, string> { ["Retry-After"] = "1" }).ForPath("/chat/completions"));
            Server.Enqueue(ServerBehavior.DelayThen(TimeSpan.FromMilliseconds(600)).ForPath("/chat/completions"));
            var documents = new[] { "file-fe-1", "file-fe-2", "file-fe-3", "file-fe-4", "file-fe-5" }.Select(DocumentInput.Id).ToList();

            var (test, _) = await RunAsync(documents, Options(o => o.ThrottleLimit = 2));

            Assert.All(test.Output.Objects.Cast<QwenDocumentAnswer>(), a => Assert.True(a.Succeeded, a.Error));
            DateTimeOffset refused = Chats.Single(c => c.ResponseStatus == 429).ReceivedAt;
            List<RecordedRequest> after = Chats.Where(c => c.ReceivedAt > refused + TimeSpan.FromMilliseconds(150)).ToList();
            Assert.True(after.Count >= 4, after.Count + " chats after the 429");
            Assert.All(after, c => Assert.True(c.ReceivedAt - refused >= TimeSpan.FromMilliseconds(950), "a chat " + (c.ReceivedAt - refused).TotalMilliseconds + " ms after the 429"));
        }

        [Fact]
        public async Task As_text_sends_text_files_inline_and_still_uploads_a_pdf()
        {
            string text = _folder.Write("notes.md", "# Notes\n年度报告");
            string pdf = _folder["scan.pdf"];
            File.WriteAllBytes(pdf, Encoding.ASCII.GetBytes("%PDF-1.4 fake"));

            var (test, _) = await RunAsync(new[] { DocumentInput.Local(text), DocumentInput.Local(pdf) }, Options(o => o.SendAs = QwenDocumentSendMode.Text));

            Assert.Equal("scan.pdf", Assert.Single(Uploads).Upload!.FileName);
            List<string?> documents = Chats.Select(c => (string?)c.BodyJson!["messages"]![1]!["content"]).ToList();
            Assert.Contains("# Notes\n年度报告", documents);
            Assert.Contains(documents, d => d!.StartsWith("fileid://", StringComparison.Ordinal));
            Assert.Null(test.Output.Objects.Cast<QwenDocumentAnswer>().Single(a => a.Name == "notes.md").FileId);
        }

        [Fact]
        public async Task A_bare_id_still_parsing_is_waited_for_and_asked_again()
        {
            Server.Files.Add("file-fe-slow", "slow.txt", Encoding.UTF8.GetBytes("slow"), status: "processing");
            Server.Files.Rules.HoldProcessing("file-fe-slow", TimeSpan.FromSeconds(2));  // 2 s: a loaded host once took longer than 300 ms to send the first chat

            var (test, _) = await RunAsync(new[] { DocumentInput.Id("file-fe-slow") }, Options());

            QwenDocumentAnswer answer = Assert.Single(test.Output.Objects.Cast<QwenDocumentAnswer>());
            Assert.True(answer.Succeeded, answer.Error);
            Assert.Equal(400, Chats.First().ResponseStatus);
            Assert.Equal(200, Chats.Last().ResponseStatus);
        }

        [Fact]
        public async Task Stored_files_of_another_purpose_fail_alone()
        {
            Server.Files.Add("file-fe-ok", "ok.txt", Encoding.UTF8.GetBytes("ok"));
            var batch = new QwenFileInfo("file-batch-1", "in.jsonl", 10, "batch", "processed", null, null);
            var ok = new QwenFileInfo("file-fe-ok", "ok.txt", 2, "file-extract", "processed", null, null);

            var (test, _) = await RunAsync(new[] { DocumentInput.Stored(batch), DocumentInput.Stored(ok) }, Options());

            List<QwenDocumentAnswer> answers = test.Output.Objects.Cast<QwenDocumentAnswer>().ToList();
            Assert.Equal(QwenErrorIds.InvalidArgument, answers.Single(a => a.Document == "file-batch-1").ErrorId);
            Assert.True(answers.Single(a => a.Document == "file-fe-ok").Succeeded);
            Assert.Same(batch, Assert.Single(test.Output.Errors).Target);
        }

        [Fact]
        public async Task A_stop_ends_every_worker_at_once_and_keeps_the_finished_uploads_in_the_index()
        {
            List<DocumentInput> documents = Write(6);
            Server.Enqueue(ServerBehavior.DelayThen(TimeSpan.FromSeconds(30)).ForPath("/chat/completions"), times: 6);
            using var stop = new CancellationTokenSource();
            TestClient test = _fixture.CreateClient(settings => settings.Gate = new RequestGate());
            var operation = new DocumentChatOperation(test.Client, Options(o => o.ThrottleLimit = 3), Index(), test.Output);

            Task run = operation.RunAsync(documents, stop.Token);
            while (Chats.Count < 3)
            {
                await Task.Delay(20);
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "stopped after " + clock.Elapsed);
            Assert.Empty(test.Output.Errors);
            Assert.Equal(3, Index().Count);
        }
    }
}
