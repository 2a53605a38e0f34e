using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Server
{
    /// <summary>
    /// The test server's documents-at-scale behaviour (tests/QwenPS.TestServer/Documents), over plain HTTP, so the
    /// client tests that rely on it rely on something checked: wall-clock processing per file, parse failures,
    /// the upload rate limit, list date filters, downloads, and the two control endpoints.
    /// </summary>
    public sealed class FileRulesServerTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public FileRulesServerTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private HttpClient Http => _fixture.Http;

        private Uri Api(string relative) => new Uri(Server.BaseUri.AbsoluteUri + relative);

        private Uri Control(string relative) => new Uri(Server.RootUri, "_control/" + relative);

        private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, Uri uri, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, uri) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _fixture.Key);
            HttpResponseMessage response = await Http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            bool json = response.Content.Headers.ContentType?.MediaType == "application/json";
            JsonElement body = json ? JsonDocument.Parse(text).RootElement.Clone() : default;
            return (response.StatusCode, body, response);
        }

        private Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> UploadAsync(string name, string text)
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent("file-extract"), "purpose" },
                { new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "file", name },
            };
            return SendAsync(HttpMethod.Post, Api("/files"), form);
        }

        private Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> ChatAsync(string fileId)
        {
            string body = "{\"model\":\"qwen-long\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"}," +
                "{\"role\":\"system\",\"content\":\"fileid://" + fileId + "\"},{\"role\":\"user\",\"content\":\"Sum up\"}]}";
            return SendAsync(HttpMethod.Post, Api("/chat/completions"), new StringContent(body, Encoding.UTF8, "application/json"));
        }

        private static string Status(JsonElement file) => file.GetProperty("status").GetString()!;

        [Fact]
        public async Task A_rule_keeps_one_file_processing_for_its_time_while_chat_says_parsing_in_progress()
        {
            Server.Files.Rules.Add(new FileRule("slow-*.txt", TimeSpan.FromMilliseconds(600)));
            var slow = await UploadAsync("slow-1.txt", "slow");
            var quick = await UploadAsync("quick.txt", "quick");
            string slowId = slow.Body.GetProperty("id").GetString()!;

            // The rule's file ignores the poll count; the other follows the default poll model (processed at the first GET).
            Assert.Equal("processing", Status((await SendAsync(HttpMethod.Get, Api("/files/" + slowId))).Body));
            Assert.Equal("processed", Status((await SendAsync(HttpMethod.Get, Api("/files/" + quick.Body.GetProperty("id").GetString()))).Body));
            var early = await ChatAsync(slowId);
            Assert.Equal(HttpStatusCode.BadRequest, early.Status);
            Assert.Equal("File parsing in progress, please try again later.", early.Body.GetProperty("error").GetProperty("message").GetString());

            await Task.Delay(700);
            var late = await ChatAsync(slowId);
            Assert.Equal(HttpStatusCode.OK, late.Status);
            Assert.Contains("[files: " + slowId + "]", late.Body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        [Fact]
        public async Task A_file_that_fails_to_parse_ends_in_error_with_its_details_and_chat_refuses_it()
        {
            Server.Files.Rules.Add(new FileRule("broken.pdf", TimeSpan.FromMilliseconds(100), "error", "The PDF could not be parsed."));
            string id = (await UploadAsync("broken.pdf", "%PDF-1.4 junk")).Body.GetProperty("id").GetString()!;
            await Task.Delay(150);

            JsonElement file = (await SendAsync(HttpMethod.Get, Api("/files/" + id))).Body;
            Assert.Equal("error", Status(file));
            Assert.Equal("The PDF could not be parsed.", file.GetProperty("status_details").GetString());
            var chat = await ChatAsync(id);
            Assert.Equal("File [id:" + id + "] format is not supported.", chat.Body.GetProperty("error").GetProperty("message").GetString());
        }

        [Fact]
        public async Task A_processing_time_for_all_files_holds_until_the_clock_says_so_however_often_polled()
        {
            Server.Files.Rules.ProcessingTime = TimeSpan.FromMilliseconds(400);
            string id = (await UploadAsync("any.txt", "x")).Body.GetProperty("id").GetString()!;
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal("processing", Status((await SendAsync(HttpMethod.Get, Api("/files/" + id))).Body));
            }

            await Task.Delay(500);
            Assert.Equal("processed", Status((await SendAsync(HttpMethod.Get, Api("/files/" + id))).Body));
        }

        [Fact]
        public async Task Uploads_over_the_rate_get_429_with_the_retry_headers_and_are_not_stored()
        {
            Server.Files.Rules.UploadsPerSecond = 1;
            Server.Files.Rules.UploadRetryAfter = TimeSpan.FromMilliseconds(1500);

            // Back to back on one warm connection: the second and third arrive well within a second of the first.
            var results = new List<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)>();
            for (int i = 0; i < 3; i++)
            {
                results.Add(await UploadAsync("r" + i + ".txt", "r" + i));
            }

            // The rule, whatever the timing: an upload is refused exactly when one was admitted in the second before it.
            var uploads = Server.Requests.Where(r => r.Path == "/files").ToList();
            var admitted = uploads.Where(r => r.ResponseStatus == 200).Select(r => r.ReceivedAt).ToList();
            foreach (RecordedRequest upload in uploads)
            {
                bool recent = admitted.Any(t => t < upload.ReceivedAt && t > upload.ReceivedAt - TimeSpan.FromSeconds(1));
                Assert.Equal(recent ? 429 : 200, upload.ResponseStatus);
            }

            var refused = results.Where(r => r.Status == (HttpStatusCode)429).ToList();
            Assert.NotEmpty(refused);
            Assert.All(refused, r =>
            {
                Assert.Equal("Throttling.RateQuota", r.Body.GetProperty("error").GetProperty("code").GetString());
                Assert.Equal("1500", r.Response.Headers.GetValues("retry-after-ms").Single());
                Assert.Equal("2", r.Response.Headers.GetValues("Retry-After").Single());
            });
            Assert.Equal(refused.Count, Server.Files.Rules.ThrottledUploads);
            Assert.Equal(admitted.Count, Server.Files.Count);

            await Task.Delay(1100);
            Assert.Equal(HttpStatusCode.OK, (await UploadAsync("later.txt", "later")).Status);
        }

        [Fact]
        public async Task List_filters_by_creation_date_in_every_documented_form_and_pages_within_the_filter()
        {
            var day = new DateTimeOffset(2025, 11, 12, 0, 0, 0, TimeSpan.Zero);
            Server.Files.Add("file-fe-old", "old.txt", new byte[] { 1 }, createdAt: day.AddDays(-2));
            Server.Files.Add("file-fe-a", "a.txt", new byte[] { 1 }, createdAt: day.AddHours(10));
            Server.Files.Add("file-batch-b", "b.jsonl", new byte[] { 1 }, createdAt: day.AddHours(11));
            Server.Files.Add("file-fe-c", "c.txt", new byte[] { 1 }, createdAt: day.AddHours(12));
            Server.Files.Add("file-fe-new", "new.txt", new byte[] { 1 }, createdAt: day.AddDays(2));

            async Task<string[]> Ids(string query)
            {
                var list = await SendAsync(HttpMethod.Get, Api("/files?" + query));
                Assert.Equal(HttpStatusCode.OK, list.Status);
                return list.Body.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToArray();
            }

            Assert.Equal(new[] { "file-fe-a", "file-batch-b", "file-fe-c" }, await Ids("create_after=20251112&create_before=2025-11-12%2023:59:59"));
            Assert.Equal(new[] { "file-fe-a", "file-fe-c" }, await Ids("create_after=2025-11-12&create_before=20251112235959&purpose=file-extract"));
            Assert.Equal(new[] { "file-fe-c", "file-fe-new" }, await Ids("create_after=20251112113000"));

            var page = await SendAsync(HttpMethod.Get, Api("/files?purpose=file-extract&create_after=20251112&limit=1&after=file-fe-a"));
            Assert.Equal("file-fe-c", page.Body.GetProperty("data")[0].GetProperty("id").GetString());
            Assert.True(page.Body.GetProperty("has_more").GetBoolean());

            var bad = await SendAsync(HttpMethod.Get, Api("/files?create_before=12/11/2025"));
            Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
            Assert.Contains("create_before", bad.Body.GetProperty("error").GetProperty("message").GetString());
        }

        [Fact]
        public async Task Content_downloads_the_bytes_and_can_be_limited_to_batch_results()
        {
            byte[] lines = Encoding.UTF8.GetBytes("{\"custom_id\":\"r-1\"}\n{\"custom_id\":\"r-2\"}\n");
            Server.Files.Add("file-batch_output-1", "out.jsonl", lines, purpose: "batch_output");
            Server.Files.Add("file-fe-1", "doc.txt", new byte[] { 65 });

            using (var request = new HttpRequestMessage(HttpMethod.Get, Api("/files/file-batch_output-1/content")))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _fixture.Key);
                using HttpResponseMessage response = await Http.SendAsync(request);
                Assert.Equal(lines, await response.Content.ReadAsByteArrayAsync());
            }

            Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, Api("/files/file-fe-1/content"))).Status);
            Server.Files.Rules.DownloadOnlyBatchResults = true;
            var refused = await SendAsync(HttpMethod.Get, Api("/files/file-fe-1/content"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Equal(FileRules.NotDownloadableMessage, refused.Body.GetProperty("error").GetProperty("message").GetString());
        }

        [Fact]
        public async Task Control_endpoints_seed_files_and_set_rules_and_refuse_unknown_properties()
        {
            string seed = "[{\"filename\":\"seeded.txt\",\"text\":\"héllo\",\"createdAt\":1762905600}," +
                "{\"id\":\"file-batch_output-x\",\"filename\":\"out.jsonl\",\"base64\":\"e30K\",\"purpose\":\"batch_output\"}," +
                "{\"filename\":\"pending.txt\",\"text\":\"p\",\"processingMs\":60000,\"status\":\"error\"}]";
            var seeded = await SendAsync(HttpMethod.Post, Control("files"), new StringContent(seed, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, seeded.Status);
            JsonElement[] files = seeded.Body.EnumerateArray().ToArray();
            Assert.StartsWith("file-fe-", files[0].GetProperty("id").GetString());
            Assert.Equal(6, files[0].GetProperty("bytes").GetInt64());
            Assert.Equal(1762905600, files[0].GetProperty("created_at").GetInt64());
            Assert.Equal("batch_output", files[1].GetProperty("purpose").GetString());
            Assert.Equal("processing", Server.Files.Get(files[2].GetProperty("id").GetString()!)!.Status);

            string rules = "{\"uploadsPerSecond\":3,\"uploadRetryAfterMs\":700,\"processingTimeMs\":50,\"downloadOnlyBatchResults\":true," +
                "\"rules\":[{\"fileName\":\"bad*.pdf\",\"finalStatus\":\"error\",\"processingMs\":10}]}";
            var set = await SendAsync(HttpMethod.Post, Control("file-rules"), new StringContent(rules, Encoding.UTF8, "application/json"));
            Assert.Equal(3, set.Body.GetProperty("uploadsPerSecond").GetInt32());
            Assert.Equal(TimeSpan.FromMilliseconds(700), Server.Files.Rules.UploadRetryAfter);
            Assert.Equal("bad*.pdf", Server.Files.Rules.Rules.Single().FileName);
            Assert.True(Server.Files.Rules.DownloadOnlyBatchResults);

            var typo = await SendAsync(HttpMethod.Post, Control("file-rules"), new StringContent("{\"uploadPerSecond\":3}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, typo.Status);
            var noText = await SendAsync(HttpMethod.Post, Control("files"), new StringContent("{\"filename\":\"x\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, noText.Status);

            Server.Reset();
            Assert.Equal(0, Server.Files.Rules.UploadsPerSecond);
            Assert.Empty(Server.Files.Rules.Rules);
        }
    }
}
