using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.TestServer
{
    /// <summary>
    /// The test server's Batch API over plain HTTP (no QwenPS code involved), so the client tests that rely on it
    /// rely on behaviour that is itself checked: lifecycle, result files, ordering, validation codes, list filters.
    /// </summary>
    public sealed class BatchServerTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public BatchServerTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private static string ChatLine(string id, string text, string model = "qwen-plus", string url = "/v1/chat/completions")
            => new JsonObject
            {
                ["custom_id"] = id,
                ["method"] = "POST",
                ["url"] = url,
                ["body"] = new JsonObject
                {
                    ["model"] = model,
                    ["enable_thinking"] = false,
                    ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
                },
            }.ToJsonString();

        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null)
        {
            using var request = new HttpRequestMessage(method, Server.BaseUri + path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _fixture.Key);
            if (json != null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            return await _fixture.Http.SendAsync(request);
        }

        private async Task<JsonNode> JsonAsync(HttpMethod method, string path, string? json = null, HttpStatusCode expected = HttpStatusCode.OK)
        {
            using HttpResponseMessage response = await SendAsync(method, path, json);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, response.StatusCode + ": " + text);
            return JsonNode.Parse(text)!;
        }

        private async Task<string> UploadAsync(IEnumerable<string> lines, string purpose = "batch", string? raw = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Server.BaseUri + "/files");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _fixture.Key);
            var form = new MultipartFormDataContent();
            form.Add(new StringContent(purpose), "purpose");
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(raw ?? string.Join("\n", lines) + "\n"));
            form.Add(file, "file", "input.jsonl");
            request.Content = form;
            using HttpResponseMessage response = await _fixture.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
        }

        private Task<JsonNode> CreateAsync(string fileId, string endpoint = "/v1/chat/completions", string window = "24h", string? name = null)
        {
            var body = new JsonObject { ["input_file_id"] = fileId, ["endpoint"] = endpoint, ["completion_window"] = window };
            if (name != null)
            {
                body["metadata"] = new JsonObject { ["ds_name"] = name, ["ds_description"] = "d" };
            }

            return JsonAsync(HttpMethod.Post, "/batches", body.ToJsonString());
        }

        private Task<JsonNode> PollAsync(string id) => JsonAsync(HttpMethod.Get, "/batches/" + id);

        private async Task<List<JsonNode>> ContentLinesAsync(string? fileId)
        {
            Assert.NotNull(fileId);
            using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/files/" + fileId + "/content");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            string text = await response.Content.ReadAsStringAsync();
            Assert.EndsWith("\n", text);
            return text.TrimEnd('\n').Split('\n').Select(l => JsonNode.Parse(l)!).ToList();
        }

        private static (string Status, int Total, int Completed, int Failed) State(JsonNode batch) =>
            ((string)batch["status"]!, (int)batch["request_counts"]!["total"]!, (int)batch["request_counts"]!["completed"]!, (int)batch["request_counts"]!["failed"]!);

        [Fact]
        public async Task A_batch_moves_one_step_per_poll_and_publishes_unordered_results_with_failures_in_both_spellings()
        {
            string[] ids = Enumerable.Range(1, 10).Select(i => "r-" + i.ToString("00")).ToArray();
            string fileId = await UploadAsync(ids.Select(id => ChatLine(id, id is "r-03" or "r-07" ? "bad [fail] " + id : "Hi " + id)));

            JsonNode created = await CreateAsync(fileId, name: "nightly");
            string batchId = (string)created["id"]!;
            Assert.StartsWith("batch_", batchId);
            Assert.Equal(("validating", 0, 0, 0), State(created));
            Assert.Equal("nightly", (string)created["metadata"]!["ds_name"]!);
            Assert.Equal((long)created["created_at"]! + 24 * 3600, (long)created["expires_at"]!);

            Assert.Equal(("in_progress", 10, 0, 0), State(await PollAsync(batchId)));
            (string status, int total, int done, int failed) = State(await PollAsync(batchId));
            Assert.Equal(("in_progress", 10, 5), (status, total, done + failed));
            Assert.Equal(("finalizing", 10, 8, 2), State(await PollAsync(batchId)));
            JsonNode completed = await PollAsync(batchId);
            Assert.Equal(("completed", 10, 8, 2), State(completed));
            Assert.NotNull(completed["completed_at"]);
            Assert.Equal(("completed", 10, 8, 2), State(await PollAsync(batchId)));

            List<JsonNode> output = await ContentLinesAsync((string?)completed["output_file_id"]);
            Assert.StartsWith("file-batch_output-", (string)completed["output_file_id"]!);
            string[] outputIds = output.Select(l => (string)l["custom_id"]!).ToArray();
            Assert.Equal(ids.Except(new[] { "r-03", "r-07" }).OrderBy(i => i), outputIds.OrderBy(i => i));
            Assert.NotEqual(outputIds.OrderBy(i => i), outputIds);
            JsonNode first = output[0];
            Assert.Equal(200, (int)first["response"]!["status_code"]!);
            Assert.Equal((string)first["id"]!, (string)first["response"]!["request_id"]!);
            Assert.Equal("chatcmpl-" + (string)first["id"]!, (string)first["response"]!["body"]!["id"]!);
            Assert.Equal("Answer to: Hi " + (string)first["custom_id"]!, (string)first["response"]!["body"]!["choices"]![0]!["message"]!["content"]!);
            Assert.Null(first["error"]);

            List<JsonNode> errors = await ContentLinesAsync((string?)completed["error_file_id"]);
            Assert.Equal(new[] { "r-03", "r-07" }, errors.Select(l => (string)l["custom_id"]!).OrderBy(i => i));
            Assert.Equal("data_inspection_failed", (string)errors[0]["error"]!["code"]!);
            Assert.Equal(400, (int)errors[0]["response"]!["status_code"]!);
            Assert.Equal("data_inspection_failed", (string)errors[1]["error"]!["error_code"]!);
            Assert.Null(errors[1]["response"]);
        }

        [Theory]
        [InlineData("duplicate_custom_id", 2)]
        [InlineData("mismatched_model", 2)]
        [InlineData("model_not_found", 1)]
        [InlineData("mismatched_test_url", 1)]
        [InlineData("invalid_json_line", 1)]
        public async Task Validation_fails_the_batch_at_its_first_poll_with_the_batch_error_code(string code, int line)
        {
            string[] lines = code switch
            {
                "duplicate_custom_id" => new[] { ChatLine("a", "x"), ChatLine("a", "y") },
                "mismatched_model" => new[] { ChatLine("a", "x"), ChatLine("b", "y", model: "qwen-max") },
                "model_not_found" => new[] { ChatLine("a", "x", model: "nonexistent-model") },
                "mismatched_test_url" => new[] { ChatLine("a", "x", model: "batch-test-model") },
                _ => new[] { "\uFEFF" + ChatLine("a", "x") },
            };
            string batchId = (string)(await CreateAsync(await UploadAsync(lines)))["id"]!;

            JsonNode failed = await PollAsync(batchId);

            Assert.Equal("failed", (string)failed["status"]!);
            Assert.NotNull(failed["failed_at"]);
            Assert.Null(failed["output_file_id"]);
            JsonNode error = failed["errors"]!["data"]![0]!;
            Assert.Equal(code, (string)error["code"]!);
            Assert.Equal(line, (int)error["line"]!);
        }

        [Fact]
        public async Task Cancel_keeps_the_requests_already_done_and_a_finished_batch_cannot_be_cancelled()
        {
            string batchId = (string)(await CreateAsync(await UploadAsync(Enumerable.Range(1, 8).Select(i => ChatLine("c" + i, "t" + i)))))["id"]!;
            await PollAsync(batchId);
            await PollAsync(batchId); // in_progress, 4 of 8 done

            JsonNode cancelling = await JsonAsync(HttpMethod.Post, "/batches/" + batchId + "/cancel");
            Assert.Equal("cancelling", (string)cancelling["status"]!);
            Assert.NotNull(cancelling["cancelling_at"]);
            JsonNode cancelled = await PollAsync(batchId);
            Assert.Equal(("cancelled", 8, 4, 0), State(cancelled));
            Assert.Equal(4, (await ContentLinesAsync((string?)cancelled["output_file_id"])).Count);
            Assert.Null(cancelled["error_file_id"]);

            JsonNode refused = await JsonAsync(HttpMethod.Post, "/batches/" + batchId + "/cancel", expected: HttpStatusCode.BadRequest);
            Assert.Equal("Cannot cancel a batch with status 'cancelled'.", (string)refused["error"]!["message"]!);
        }

        [Fact]
        public async Task Expired_and_failed_outcomes_are_controllable()
        {
            Server.Batches.Outcome = BatchOutcome.Expired;
            Server.Batches.InProgressPolls = 1;
            string expiring = (string)(await CreateAsync(await UploadAsync(Enumerable.Range(1, 6).Select(i => ChatLine("e" + i, "t")))))["id"]!;
            Server.Batches.Outcome = BatchOutcome.Failed;
            string failing = (string)(await CreateAsync(await UploadAsync(new[] { ChatLine("f", "t") })))["id"]!;

            Assert.Equal("in_progress", (string)(await PollAsync(expiring))["status"]!);
            JsonNode expired = await PollAsync(expiring);
            Assert.Equal(("expired", 6, 3, 0), State(expired));
            Assert.NotNull(expired["expired_at"]);
            Assert.Equal(3, (await ContentLinesAsync((string?)expired["output_file_id"])).Count);

            JsonNode failed = await PollAsync(failing);
            Assert.Equal("failed", (string)failed["status"]!);
            Assert.Equal("InternalError", (string)failed["errors"]!["data"]![0]!["code"]!);
        }

        [Fact]
        public async Task The_test_model_answers_with_the_fixed_text_and_is_limited_to_100_lines()
        {
            Server.Batches.InProgressPolls = 1;
            string fileId = await UploadAsync(new[] { ChatLine("t1", "x", "batch-test-model", "/v1/chat/ds-test") });
            string batchId = (string)(await CreateAsync(fileId, "/v1/chat/ds-test"))["id"]!;
            JsonNode batch = await PollAsync(batchId);
            while ((string)batch["status"]! != "completed")
            {
                batch = await PollAsync(batchId);
            }

            JsonNode line = (await ContentLinesAsync((string?)batch["output_file_id"])).Single();
            Assert.Equal("This is a test result.", (string)line["response"]!["body"]!["choices"]![0]!["message"]!["content"]!);

            string tooMany = await UploadAsync(Enumerable.Range(1, 101).Select(i => ChatLine("t" + i, "x", "batch-test-model", "/v1/chat/ds-test")));
            JsonNode failed = await PollAsync((string)(await CreateAsync(tooMany, "/v1/chat/ds-test"))["id"]!);
            Assert.Equal("test_model_limit_exceeded", (string)failed["errors"]!["data"]![0]!["code"]!);
        }

        [Theory]
        [InlineData("{\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}", "Missing required parameter: 'input_file_id'.")]
        [InlineData("{\"input_file_id\":\"F\",\"endpoint\":\"/v1/responses\",\"completion_window\":\"24h\"}", "Invalid endpoint")]
        [InlineData("{\"input_file_id\":\"F\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"23h\"}", "Invalid completion_window")]
        [InlineData("{\"input_file_id\":\"F\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"15d\"}", "Invalid completion_window")]
        [InlineData("{\"input_file_id\":\"F\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"14d\",\"metadata\":{\"ds_name\":\"NAME\"}}", "ds_name must not be longer")]
        [InlineData("{\"input_file_id\":\"file-batch-missing\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"14d\"}", "File not found")]
        [InlineData("{\"input_file_id\":\"FE\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"14d\"}", "a batch needs a file uploaded with purpose 'batch'")]
        public async Task Create_refuses_bad_requests(string body, string message)
        {
            string batchFile = await UploadAsync(new[] { ChatLine("a", "x") });
            string extractFile = await UploadAsync(new[] { "text" }, purpose: "file-extract");
            body = body.Replace("\"F\"", "\"" + batchFile + "\"").Replace("\"FE\"", "\"" + extractFile + "\"").Replace("NAME", new string('n', 101));

            using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "/batches", body);

            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound);
            Assert.Contains(message, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!);
            Assert.Equal(0, Server.Batches.Count);
        }

        [Fact]
        public async Task List_filters_by_name_status_and_input_file_and_pages_newest_first()
        {
            string file = await UploadAsync(new[] { ChatLine("a", "x") });
            string other = await UploadAsync(new[] { ChatLine("b", "x") });
            string b1 = (string)(await CreateAsync(file, name: "Tickets-Nov"))["id"]!;
            string b2 = (string)(await CreateAsync(other, name: "reports"))["id"]!;
            string b3 = (string)(await CreateAsync(file, name: "tickets-dec"))["id"]!;
            await PollAsync(b3);

            JsonNode page1 = await JsonAsync(HttpMethod.Get, "/batches?limit=2");
            Assert.Equal(new[] { b3, b2 }, page1["data"]!.AsArray().Select(b => (string)b!["id"]!));
            Assert.True((bool)page1["has_more"]!);
            Assert.Equal(b2, (string)page1["last_id"]!);
            JsonNode page2 = await JsonAsync(HttpMethod.Get, "/batches?limit=2&after=" + b2);
            Assert.Equal(new[] { b1 }, page2["data"]!.AsArray().Select(b => (string)b!["id"]!));
            Assert.False((bool)page2["has_more"]!);

            JsonNode named = await JsonAsync(HttpMethod.Get, "/batches?ds_name=TICKETS");
            Assert.Equal(new[] { b3, b1 }, named["data"]!.AsArray().Select(b => (string)b!["id"]!));
            JsonNode byStatus = await JsonAsync(HttpMethod.Get, "/batches?status=in_progress,completed");
            Assert.Equal(new[] { b3 }, byStatus["data"]!.AsArray().Select(b => (string)b!["id"]!));
            JsonNode byFile = await JsonAsync(HttpMethod.Get, "/batches?input_file_ids=" + other);
            Assert.Equal(new[] { b2 }, byFile["data"]!.AsArray().Select(b => (string)b!["id"]!));
            string future = DateTime.UtcNow.AddHours(1).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Empty((await JsonAsync(HttpMethod.Get, "/batches?create_after=" + future))["data"]!.AsArray());
            Assert.Equal(3, (await JsonAsync(HttpMethod.Get, "/batches?create_before=" + future))["data"]!.AsArray().Count);
            await JsonAsync(HttpMethod.Get, "/batches?limit=101", expected: HttpStatusCode.BadRequest);
        }

        [Fact]
        public async Task Embedding_batches_answer_one_vector_per_input_text()
        {
            Server.Batches.InProgressPolls = 1;
            string line = "{\"custom_id\":\"e1\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"model\":\"text-embedding-v4\",\"input\":[\"abc\",\"hello\"]}}";
            string batchId = (string)(await CreateAsync(await UploadAsync(new[] { line }), "/v1/embeddings"))["id"]!;
            JsonNode batch;
            do
            {
                batch = await PollAsync(batchId);
            }
            while ((string)batch["status"]! != "completed");

            JsonNode body = (await ContentLinesAsync((string?)batch["output_file_id"])).Single()["response"]!["body"]!;
            Assert.Equal(new[] { 3.0, 5.0 }, body["data"]!.AsArray().Select(d => (double)d!["embedding"]![0]!));
            Assert.Equal(8, (int)body["usage"]!["total_tokens"]!);
        }
    }
}
