using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Batch;
using QwenPS.Chat;
using QwenPS.Output;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Batch
{
    /// <summary>The batch engine against the test server: the exact bodies sent, the poll back-off, the results joined.</summary>
    public sealed class BatchOperationsTests : IClassFixture<ServerFixture>, IDisposable
    {
        private readonly ServerFixture _fixture;
        private readonly BatchTestRun _run = new BatchTestRun("batch-ops");

        public BatchOperationsTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        public void Dispose() => _run.Dispose();

        private DashScopeTestServer Server => _fixture.Server;

        private string Mappings => _run.Mappings;

        private BatchBuildOptions Options(string model = "qwen-plus", QwenBatchEndpoint endpoint = QwenBatchEndpoint.ChatCompletions) => _run.Options(model, endpoint);

        private Task<QwenBatch> StartAsync(TestClient test, BatchBuildOptions options, params string[] prompts) => _run.StartAsync(test, options, prompts);

        [Fact]
        public async Task Start_uploads_the_file_with_purpose_batch_then_creates_the_batch_with_the_exact_body()
        {
            TestClient test = _fixture.CreateClient();
            BatchBuildOptions options = Options();
            options.SystemPrompt = "Be brief.";

            QwenBatch batch = await StartAsync(test, options, "Summarise: 年度报告", "Translate: hi");

            RecordedRequest upload = Server.Requests[0];
            Assert.Equal(("POST", "/files", "batch"), (upload.Method, upload.Path, upload.Upload!.Purpose));
            Assert.EndsWith(".jsonl", upload.Upload.FileName);
            RecordedRequest create = Server.Requests[1];
            Assert.Equal(("POST", "/batches"), (create.Method, create.Path));
            string fileId = Server.Files.List().Single().Id;
            Assert.Equal(
                "{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\",\"metadata\":{\"ds_name\":\"nightly\"}}",
                create.BodyText);
            string[] lines = Encoding.UTF8.GetString(Server.Files.Get(fileId)!.Content!).Split('\n');
            Assert.Equal(
                "{\"custom_id\":\"qwenps-1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Summarise: 年度报告\"}],\"enable_thinking\":false}}",
                lines[0]);
            Assert.Equal(3, lines.Length);

            Assert.StartsWith("batch_", batch.Id);
            Assert.Equal("Validating", batch.Status);
            Assert.Equal(("qwen-plus", "nightly", fileId), (batch.Model, batch.Name, batch.InputFileId));
            Assert.Equal(Path.Combine(Mappings, batch.Id + ".jsonl"), batch.MappingPath);
            Assert.Empty(Directory.GetFiles(_run.Folder, "qwenps-batch-*"));
        }

        [Fact]
        public async Task A_refused_create_deletes_the_uploaded_input_and_the_pending_mapping()
        {
            TestClient test = _fixture.CreateClient();
            Server.Enqueue(ServerBehavior.Error(400, "invalid_parameter_error", "Invalid completion_window.") with { PathFilter = "/batches", Method = "POST" });

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => StartAsync(test, Options(), "a"));

            Assert.Equal(400, error.StatusCode);
            Assert.Equal(0, Server.Files.Count);
            Assert.Contains(Server.Requests, r => r.Method == "DELETE" && r.Path.StartsWith("/files/file-batch-", StringComparison.Ordinal));
            Assert.Empty(Directory.GetFiles(Mappings));
            Assert.Equal(0, Server.Batches.Count);
        }

        [Fact]
        public async Task Wait_polls_at_once_then_backs_off_by_half_again_and_starts_over_when_the_status_changes()
        {
            TestClient test = _fixture.CreateClient();
            QwenBatch started = await StartAsync(test, Options(), "a", "b", "c", "d");

            QwenBatch done = await BatchOperations.WaitAsync(test.Client, started.Id, TimeSpan.FromSeconds(60), Mappings, CancellationToken.None);

            Assert.Equal("Completed", done.Status);
            Assert.True(done.IsFinished);
            Assert.Equal((4, 4, 0), (done.Total, done.Completed, done.Failed));
            Assert.Equal(started.MappingPath, done.MappingPath);
            // in_progress (0 done), in_progress (2 done), finalizing, completed: 60 s, then 90 s, then 60 s again.
            Assert.Equal(new[] { 60.0, 90.0, 60.0 }, test.Delays.Select(d => d.TotalSeconds));
            Assert.Equal(4, Server.Requests.Count(r => r.Method == "GET" && r.Path == "/batches/" + started.Id));
            List<QwenProgress> progress = test.Output.Progress.ToList();
            Assert.Contains(progress, p => p.PercentComplete == 50 && p.Status == "InProgress, 2 of 4 requests done (0 failed)");
            Assert.True(progress[^1].Completed);
            Assert.Contains(test.Output.Verbose, v => v.Contains("Ctrl+C stops the waiting only"));
        }

        [Fact]
        public async Task Wait_caps_the_back_off_at_ten_minutes()
        {
            TestClient test = _fixture.CreateClient();
            Server.Batches.InProgressPolls = 12;
            QwenBatch started = await StartAsync(test, Options(), "a");

            await BatchOperations.WaitAsync(test.Client, started.Id, TimeSpan.FromSeconds(60), Mappings, CancellationToken.None);

            Assert.Equal(600, test.Delays.Max(d => d.TotalSeconds));
            Assert.Equal(new[] { 60.0, 90.0, 135.0, 202.5, 303.75, 455.625, 600.0 }, test.Delays.Take(7).Select(d => d.TotalSeconds));
        }

        [Fact]
        public async Task Wait_ends_with_BatchWaitTimeout_when_the_budget_runs_out_and_never_cancels()
        {
            TestClient test = _fixture.CreateClient(settings =>
            {
                settings.TotalTimeout = TimeSpan.FromSeconds(1);
                settings.CommandDeadline = new QwenPS.Transport.Deadline(TimeSpan.FromSeconds(1));
                settings.Delay = (delay, token) => Task.Delay(delay, token);
            });
            Server.Batches.InProgressPolls = int.MaxValue;
            QwenBatch started = await StartAsync(_fixture.CreateClient(), Options(), "a");

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => BatchOperations.WaitAsync(test.Client, started.Id, TimeSpan.FromSeconds(60), Mappings, CancellationToken.None));

            Assert.Equal(QwenErrorIds.BatchWaitTimeout, error.ErrorId);
            Assert.Contains("keeps running", error.Message);
            Assert.False(Server.Batches.Get(started.Id)!.CancelRequested);
        }

        [Fact]
        public async Task A_stop_ends_the_wait_at_once_without_cancelling()
        {
            using var stop = new CancellationTokenSource();
            TestClient test = _fixture.CreateClient(settings => settings.Delay = (delay, token) => Task.Delay(delay, token));
            Server.Batches.InProgressPolls = int.MaxValue;
            QwenBatch started = await StartAsync(test, Options(), "a");

            Task wait = BatchOperations.WaitAsync(test.Client, started.Id, TimeSpan.FromSeconds(60), Mappings, stop.Token);
            await Task.Delay(200);
            stop.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.DoesNotContain(Server.Requests, r => r.Path.EndsWith("/cancel", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Results_are_joined_to_inputs_in_service_order_or_input_order_with_failures_kept()
        {
            TestClient test = _fixture.CreateClient();
            string[] prompts = Enumerable.Range(1, 12).Select(i => i % 5 == 0 ? "bad [fail] " + i : "p" + i).ToArray();
            QwenBatch started = await StartAsync(test, Options(), prompts);
            QwenBatch done = await BatchOperations.WaitAsync(test.Client, started.Id, TimeSpan.Zero, Mappings, CancellationToken.None);

            List<QwenBatchResult> service = await ReceiveAsync(test, done, inInputOrder: false);
            List<QwenBatchResult> ordered = await ReceiveAsync(test, done, inInputOrder: true);

            Assert.Equal(12, service.Count);
            Assert.NotEqual(Enumerable.Range(0, 12), service.Select(r => r.Index!.Value));
            Assert.Equal(Enumerable.Range(0, 12), ordered.Select(r => r.Index!.Value));
            Assert.Equal(Enumerable.Range(1, 12).Select(i => "qwenps-" + i), ordered.Select(r => r.CustomId));
            foreach (QwenBatchResult result in ordered)
            {
                Assert.Equal(prompts[result.Index!.Value], result.Input);
                if (((string)result.Input!).Contains("[fail]"))
                {
                    Assert.Equal(("Failed", "data_inspection_failed"), (result.Status, result.ErrorCode));
                    Assert.Equal("Input data may contain inappropriate content.", result.Error);
                    Assert.Null(result.Content);
                }
                else
                {
                    Assert.Equal(("Succeeded", 200), (result.Status, result.StatusCode));
                    Assert.Equal("Answer to: " + result.Input, result.Content);
                    Assert.Equal("stop", result.FinishReason);
                    Assert.Equal("qwen-plus", result.Model);
                    Assert.True(result.Usage!.TotalTokens > 0);
                    Assert.NotNull(result.RequestId);
                    Assert.Null(result.Error);
                }
            }

            Assert.Empty(Directory.GetFiles(_run.Folder, "qwenps-results-*"));
        }

        [Fact]
        public async Task A_cancelled_batch_gives_the_finished_results_and_the_rest_as_not_processed()
        {
            TestClient test = _fixture.CreateClient();
            QwenBatch started = await StartAsync(test, Options(), "a", "b", "c", "d");
            await BatchOperations.GetAsync(test.Client, started.Id, Mappings, CancellationToken.None);
            await BatchOperations.GetAsync(test.Client, started.Id, Mappings, CancellationToken.None);

            QwenBatch cancelling = await BatchOperations.CancelAsync(test.Client, started.Id, Mappings, CancellationToken.None);
            QwenBatch cancelled = await BatchOperations.WaitAsync(test.Client, started.Id, TimeSpan.Zero, Mappings, CancellationToken.None);
            List<QwenBatchResult> results = await ReceiveAsync(test, cancelled, inInputOrder: true);

            Assert.Equal("Cancelling", cancelling.Status);
            Assert.Equal("POST", Server.Requests.Single(r => r.Path == "/batches/" + started.Id + "/cancel").Method);
            Assert.Equal("Cancelled", cancelled.Status);
            Assert.Equal(2, results.Count(r => r.Status == "Succeeded"));
            QwenBatchResult notRun = results.First(r => r.Status == "NotProcessed");
            Assert.Equal("The batch was cancelled before this request ran.", notRun.Error);
            Assert.NotNull(notRun.Input);
        }

        [Fact]
        public async Task Embedding_results_carry_one_vector_per_text()
        {
            TestClient test = _fixture.CreateClient();
            QwenBatch started = await StartAsync(test, Options("text-embedding-v4", QwenBatchEndpoint.Embeddings), "abc", "hello");
            Assert.Equal("/v1/embeddings", started.Endpoint);
            QwenBatch done = await BatchOperations.WaitAsync(test.Client, started.Id, TimeSpan.Zero, Mappings, CancellationToken.None);

            List<QwenBatchResult> results = await ReceiveAsync(test, done, inInputOrder: true);

            Assert.Equal(new[] { 3f, 5f }, results.Select(r => r.Embeddings!.Single()[0]));
            Assert.Equal(5, results[1].Usage!.PromptTokens);
        }

        [Fact]
        public async Task List_sends_the_filters_as_DashScope_names_them_and_follows_pages()
        {
            TestClient test = _fixture.CreateClient();
            for (int i = 0; i < 3; i++)
            {
                await StartAsync(test, Options(), "p" + i);
            }

            var listed = new List<QwenBatch>();
            var filter = new BatchListFilter { Name = "night", Statuses = new[] { QwenBatchStatus.Validating, QwenBatchStatus.InProgress }, CreatedAfter = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) };
            await BatchOperations.ListAsync(test.Client, filter, 2, 0, Mappings, listed.Add, CancellationToken.None);

            Assert.Equal(3, listed.Count);
            Assert.All(listed, b => Assert.NotNull(b.MappingPath));
            RecordedRequest[] lists = Server.Requests.Where(r => r.Method == "GET" && r.Path == "/batches").ToArray();
            Assert.Equal(2, lists.Length);
            Assert.Equal("?limit=2&ds_name=night&status=validating%2Cin_progress&create_after=20260102030405", lists[0].Query);
            Assert.StartsWith("?limit=2&after=" + listed[1].Id, lists[1].Query);

            var first = new List<QwenBatch>();
            await BatchOperations.ListAsync(test.Client, new BatchListFilter(), 100, 1, Mappings, first.Add, CancellationToken.None);
            Assert.Single(first);
        }

        private Task<List<QwenBatchResult>> ReceiveAsync(TestClient test, QwenBatch batch, bool inInputOrder) => _run.ReceiveAsync(test, batch, inInputOrder);
    }
}
