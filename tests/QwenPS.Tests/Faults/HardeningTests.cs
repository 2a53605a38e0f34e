using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Chat;
using QwenPS.Files;
using QwenPS.Output;
using QwenPS.Session;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using QwenPS.Transport;
using Xunit;

namespace QwenPS.Tests.Faults
{
    /// <summary>Issue 14, the engine's side: each test names the item it pins. The canary key is a plain one (not
    /// shaped like a DashScope key), so only the known-key redaction can catch it.</summary>
    public sealed class HardeningTests : FaultTestBase
    {
        private const string Key = FaultFixture.PlainCanaryKey;

        public HardeningTests(FaultFixture fixture)
            : base(fixture)
        {
            fixture.Server.ExpectedApiKey = Key;
        }

        private TestClient Client(Action<TransportSettings>? configure = null) => Fixture.CreateClient(configure, Key);

        // Item 1: the service's own error object, kept as the inner exception, held the key in clear.
        [Fact]
        public async Task Item1_an_error_chunk_echoing_the_key_leaves_it_in_no_object_reachable_from_the_error()
        {
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = Fault.Sixteen, ErrorChunkAfterChunks = 2, ErrorCode = "E-" + Key, ErrorMessage = "upstream rejected " + Key.ToLowerInvariant() }));

            FaultOutcome outcome = await Fault.ChatAsync(Client());

            QwenException error = outcome.Failure(QwenErrorIds.StreamError, QwenErrorCategory.InvalidResult);
            Assert.Empty(KeyLeaks.ReachableStrings(error, Key));
        }

        // Item 1: a malformed header line is quoted verbatim in HttpRequestException's message.
        [Fact]
        public async Task Item1_a_malformed_response_header_line_echoing_the_key_is_redacted_at_every_depth()
        {
            await using var raw = new RawHttpListener(_ => "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nBroken header " + Key + "\r\n\r\n{}");
            TestClient test = ServerFixture.CreateClient(Fixture.Http, raw.BaseUri, Key, s => s.Retry = new RetryPolicy(0));

            FaultOutcome outcome = await Fault.ChatAsync(test, stream: false);

            QwenException error = Assert.IsType<QwenException>(outcome.Error);
            Assert.True(raw.Requests > 0, "the raw listener saw no request");
            Assert.Empty(KeyLeaks.ReachableStrings(error, Key));
            KeyLeaks.AssertNone(outcome, Key);
        }

        // Item 2: .NET quotes the proxy URI, user info and all, in the tunnel failure.
        [Fact]
        public async Task Item2_a_407_from_a_proxy_with_credentials_in_its_url_leaks_no_password_and_the_credentials_are_used()
        {
            const string password = "Pr0xyPassw0rdCanary77";
            await using var proxy = new RawHttpListener(_ => "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"q\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            var proxyUri = new Uri("http://alice:" + password + "@127.0.0.1:" + proxy.Port + "/");
            var cases = new (string Name, ProxySettings Settings, Func<string, string?> Environment)[]
            {
                ("-Proxy", new ProxySettings(proxyUri, null, false), _ => null),
                ("HTTPS_PROXY", ProxySettings.Default, name => name == "HTTPS_PROXY" ? proxyUri.AbsoluteUri : null),
            };

            foreach ((string name, ProxySettings settings, Func<string, string?> environment) in cases)
            {
                proxy.Clear();
                using HttpClient http = HttpClientCache.Create(settings, environment);

                // The destination is never contacted: the proxy on loopback answers the CONNECT itself.
                TestClient test = ServerFixture.CreateClient(http, new Uri("https://dashscope.invalid/compatible-mode/v1"), Key, s => s.Retry = new RetryPolicy(1));
                FaultOutcome outcome = await Fault.ChatAsync(test, stream: false);

                Assert.IsType<QwenException>(outcome.Error);
                Assert.Empty(KeyLeaks.ReachableStrings(outcome.Error!, password));
                KeyLeaks.AssertNone(new[] { (name + " output", string.Join("\n", outcome.Output.AllText)), (name + " error", KeyLeaks.Describe(outcome.Error)) }, password);
                string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + password));
                Assert.True(proxy.Heads.Any(h => h.Contains("Proxy-Authorization: " + expected, StringComparison.OrdinalIgnoreCase)), name + ": the proxy never got the URL's credentials. Saw: " + string.Join(" || ", proxy.Heads));
            }
        }

        // Item 3: the snippet of a non-JSON body was cut before it was masked.
        [Theory]
        [InlineData(FaultFixture.PlainCanaryKey)]
        [InlineData(FaultFixture.CanaryKey)]
        public async Task Item3_a_key_at_the_200th_character_of_a_text_body_is_masked_before_the_cut(string key)
        {
            Server.ExpectedApiKey = key;
            for (int at = 185; at <= 199; at += 7)
            {
                Server.Reset();
                Server.Enqueue(ServerBehavior.Body(400, new string('a', at) + " " + key + " tail", "text/plain"));

                FaultOutcome outcome = await Fault.ChatAsync(Fixture.CreateClient(null, key), stream: false);

                QwenException error = Assert.IsType<QwenException>(outcome.Error);
                string head = key.Substring(0, 8);
                Assert.DoesNotContain(head, error.Message, StringComparison.OrdinalIgnoreCase);
            }
        }

        [Fact]
        public async Task Item3_a_case_changed_echo_of_a_plain_key_is_masked()
        {
            Server.Enqueue(ServerBehavior.NativeError(401, "InvalidApiKey", "Invalid API-key provided: " + Key.ToUpperInvariant() + " / " + Key.ToLowerInvariant()));

            FaultOutcome outcome = await Fault.ChatAsync(Client(), stream: false);

            QwenException error = Assert.IsType<QwenException>(outcome.Error);
            Assert.DoesNotContain("canary", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(KeyLeaks.ReachableStrings(error, Key));
        }

        // Item 4: the rejected URI was kept whole as the error's target.
        [Theory]
        [InlineData("http://example.com/compatible-mode/v1?api_key=" + FaultFixture.PlainCanaryKey)]
        [InlineData("ftp://example.com/v1?api_key=" + FaultFixture.PlainCanaryKey)]
        [InlineData("https://alice:" + FaultFixture.PlainCanaryKey + "@example.com/compatible-mode/v1")]
        [InlineData("https://example.com/compatible-mode/v1/chat/completions?key=" + FaultFixture.PlainCanaryKey)]
        public void Item4_a_rejected_base_uri_is_redacted_in_the_target_and_the_message(string uri)
        {
            QwenException error = Assert.Throws<QwenException>(() => QwenEndpoints.Validate(new Uri(uri)));

            Assert.DoesNotContain("canary", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("canary", error.Target?.ToString() ?? string.Empty, StringComparison.OrdinalIgnoreCase);
            Assert.IsNotType<Uri>(error.Target);
        }

        // Item 5: escape sequences in a service message renamed the terminal and cleared the screen.
        [Fact]
        public async Task Item5_control_characters_from_the_service_are_stripped_from_messages_and_warnings()
        {
            string evil = "boom \u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u009b0m\r\nnext";
            Server.Enqueue(ServerBehavior.Error(500, "Internal\u001b[2JError", evil), times: 2);

            FaultOutcome outcome = await Fault.ChatAsync(Client(s => s.Retry = new RetryPolicy(1)), stream: false);

            QwenException error = Assert.IsType<QwenException>(outcome.Error);
            Assert.Contains("boom", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(error.Message + error.ServiceCode, c => char.IsControl(c));
            string warning = Assert.Single(outcome.Output.Warnings);
            Assert.DoesNotContain(warning, c => char.IsControl(c));
        }

        // Item 8: an endless stream grew PooledText past 2^30 characters and the process to 20 GB.
        [Fact]
        public async Task Item8_a_stream_past_the_default_cap_ends_with_ResponseTooLarge_keeping_what_arrived_within_it()
        {
            string piece = new string('x', 4000);
            string chunk = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"}}]}\n\n";
            int chunks = (ChatRun.DefaultMaxResponseChars / piece.Length) + 50;
            Server.Enqueue(ServerBehavior.RawStream(RawSegment.Repeat(chunk, chunks), RawSegment.Text("data: [DONE]\n\n")));

            FaultOutcome outcome = await Fault.ChatAsync(Client());

            QwenException error = outcome.Failure(QwenErrorIds.ResponseTooLarge, QwenErrorCategory.LimitsExceeded);
            Assert.NotNull(error.PartialResponse);
            Assert.True(error.PartialResponse!.Incomplete);
            Assert.InRange(error.PartialResponse.Content.Length, ChatRun.DefaultMaxResponseChars - piece.Length, ChatRun.DefaultMaxResponseChars);
            Assert.Equal(error.PartialResponse.Content.Length, outcome.DeliveredContent.Length);
        }

        [Fact]
        public async Task Item8_the_cap_counts_reasoning_content_and_tool_arguments_together()
        {
            Server.Enqueue(ServerBehavior.Reply(new ChatReply
            {
                ReasoningChunks = new[] { new string('r', 30) },
                ContentChunks = new[] { new string('c', 30), new string('d', 30) },
            }));
            var run = new ChatRun { Stream = true, MaxResponseChars = 70 };
            TestClient test = Client();
            ChatRequest request = ChatOperation.PrepareRequest(run, new ChatRequest("qwen-plus", new[] { Fault.User("x") }), test.Output.WriteVerbose);

            FaultOutcome outcome = await Fault.RunAsync(test, () => ChatOperation.RunAsync(test.Chat, request, run, test.Output, CancellationToken.None), streamed: true);

            QwenException error = outcome.Failure(QwenErrorIds.ResponseTooLarge, QwenErrorCategory.LimitsExceeded);
            Assert.Equal(new string('r', 30), error.PartialResponse!.Reasoning);
            Assert.Equal(new string('c', 30), error.PartialResponse.Content);
            Assert.Matches(@"^The answer passed 70 characters \(-MaxResponseSize\) after \d+ chunk\(s\); QwenPS stopped reading\. What arrived within the limit is kept \(the partial response\); raise -MaxResponseSize for a longer answer\.$", error.Message);
        }

        // Item 10: a listing that always says has_more was paged forever.
        [Fact]
        public async Task Item10_listing_stops_on_a_repeated_cursor()
        {
            Server.Enqueue(ServerBehavior.Body(200, FileListPage(true, "file-fe-same"), "application/json") with { PathFilter = "/files", Method = "GET" }, times: 20);
            TestClient test = Client();
            var files = new List<QwenFileInfo>();

            FaultOutcome outcome = await Fault.RunAsync(test, async () => { await test.Files.ListFilesAsync(null, 10, files.Add, CancellationToken.None); return 0; });

            outcome.Failure(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.InvalidResult);
            Assert.Single(files);
            Assert.Equal(2, Server.Requests.Count);
        }

        [Fact]
        public async Task Item10_listing_stops_at_the_page_cap()
        {
            for (int page = 0; page < 12; page++)
            {
                Server.Enqueue(ServerBehavior.Body(200, FileListPage(true, "file-fe-" + page), "application/json") with { PathFilter = "/files", Method = "GET" });
            }

            TestClient test = Client(s => s.MaxListPages = 5);
            var files = new List<QwenFileInfo>();

            FaultOutcome outcome = await Fault.RunAsync(test, async () => { await test.Files.ListFilesAsync(null, 10, files.Add, CancellationToken.None); return 0; });

            QwenException error = outcome.Failure(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.InvalidResult);
            Assert.Contains("5 pages", error.Message, StringComparison.Ordinal);
            Assert.Equal(5, files.Count);
            Assert.Equal(5, Server.Requests.Count);
        }

        // Item 11: a key that cannot be an HTTP header value failed late and oddly.
        [Theory]
        [InlineData("sk-abc\ndef0123456789")]
        [InlineData("sk-abc\u200Bdef0123456789")]
        [InlineData("sk-abc def0123456789")]
        [InlineData("sk-abcé0123456789")]
        public void Item11_a_key_that_is_not_a_plain_token_is_refused_when_resolved(string key)
        {
            QwenException error = Assert.Throws<QwenException>(() => ApiKey.Resolve(null, null, name => name == ApiKey.EnvironmentVariable ? key : null));

            Assert.Equal(QwenErrorIds.InvalidApiKey, error.ErrorId);
            Assert.Equal(QwenErrorCategory.AuthenticationError, error.Category);
            Assert.DoesNotContain("abc", error.Message, StringComparison.Ordinal);
        }

        // Item 20: an empty -ApiKey fell back to the environment without a word.
        [Fact]
        public void Item20_an_empty_ApiKey_SecureString_is_refused()
        {
            using var empty = new System.Security.SecureString();

            QwenException error = Assert.Throws<QwenException>(() => ApiKey.Resolve(empty, null, name => name == ApiKey.EnvironmentVariable ? "sk-fromenv0000000" : null));

            Assert.Equal(QwenErrorIds.MissingApiKey, error.ErrorId);
            Assert.Contains("-ApiKey", error.Message, StringComparison.Ordinal);
        }

        // Item 12: a symbolic link's own size was checked, not its target's.
        [Fact]
        public void Item12_a_symbolic_link_is_checked_by_its_target_size()
        {
            using var folder = new TempFolder("harden");
            string target = Path.Combine(folder.Path, "big.bin");
            using (FileStream stream = File.Create(target))
            {
                stream.SetLength(FileUploadRules.MaxImageBytes + 1);
            }

            string link = Path.Combine(folder.Path, "photo.png");
            File.CreateSymbolicLink(link, target);

            QwenException error = Assert.Throws<QwenException>(() => FileUploadRules.Check(link, FilePurposes.FileExtract));

            Assert.Equal(QwenErrorIds.FileTooLarge, error.ErrorId);
        }

        [Fact]
        public async Task Item12_a_document_behind_a_symbolic_link_uploads_whole_with_progress_within_100()
        {
            using var folder = new TempFolder("harden");
            string target = Path.Combine(folder.Path, "real-name.txt");
            File.WriteAllText(target, new string('d', 300_000));
            string link = Path.Combine(folder.Path, "d.txt");
            File.CreateSymbolicLink(link, target);
            TestClient test = Client(s => s.ProgressInterval = TimeSpan.Zero);

            FaultOutcome outcome = await Fault.RunAsync(test, () => test.Files.UploadFileAsync(link, FilePurposes.FileExtract, CancellationToken.None));

            Assert.Null(outcome.Error);
            Assert.Equal(300_000, Server.Requests.Single().Upload!.Length);
            Assert.All(outcome.Output.Progress, p => Assert.InRange(p.PercentComplete, -1, 100));
        }

        // Item 14: the last poll was skipped when its wait would pass the budget, so 3 s gave up after 1.5 s.
        [Fact]
        public async Task Item14_processing_is_waited_for_until_the_timeout_and_the_error_says_the_file_stays()
        {
            Server.Files.ProcessingPolls = int.MaxValue;
            using var folder = new TempFolder("harden");
            string path = folder.Write("slow.txt", "document");
            TestClient test = Client(s =>
            {
                s.Delay = (delay, token) => Task.Delay(delay, token);
                s.PollInterval = poll => TimeSpan.FromMilliseconds(Math.Min(500 * Math.Pow(2, poll - 1), 5000));
            });
            QwenFileInfo uploaded = await test.Files.UploadFileAsync(path, FilePurposes.FileExtract, CancellationToken.None);

            FaultOutcome outcome = await Fault.RunAsync(test, () => test.Files.WaitForFileAsync(uploaded, TimeSpan.FromSeconds(3), CancellationToken.None));

            QwenException error = outcome.Failure(QwenErrorIds.FileProcessingTimeout, QwenErrorCategory.OperationTimeout);
            Assert.InRange(outcome.Elapsed.TotalSeconds, 2.6, 4.5);
            Assert.Contains("Remove-QwenFile -FileId " + uploaded.Id, error.Message, StringComparison.Ordinal);
            Assert.Equal(uploaded.Id, error.Target);
        }

        private static string FileListPage(bool hasMore, string id) =>
            "{\"object\":\"list\",\"has_more\":" + (hasMore ? "true" : "false") + ",\"data\":[{\"id\":\"" + id +
            "\",\"object\":\"file\",\"bytes\":3,\"created_at\":1700000000,\"filename\":\"a.txt\",\"purpose\":\"file-extract\",\"status\":\"processed\"}]}";
    }

    /// <summary>Item 9: the pump's queue is bounded, so a slow consumer holds the reader back.</summary>
    public sealed class BoundedOutputPumpTests
    {
        [Fact]
        public void A_producer_waits_when_the_consumer_is_slow()
        {
            int produced = 0;
            using var release = new ManualResetEventSlim(false);
            int observedWhileBlocked = -1;
            var target = new CollectingOutput
            {
                OnObject = item =>
                {
                    if ((int)item == 0)
                    {
                        // The consumer is stuck on the first record: give the producer time to run ahead.
                        Thread.Sleep(500);
                        observedWhileBlocked = Volatile.Read(ref produced);
                        release.Set();
                    }
                },
            };
            using var pump = new OutputPump();
            using var cancellation = new CancellationTokenSource();

            pump.Run(
                output => Task.Run(() =>
                {
                    for (int i = 0; i < 20_000; i++)
                    {
                        output.WriteObject(i);
                        Interlocked.Increment(ref produced);
                    }

                    return 0;
                }),
                target,
                cancellation);

            Assert.Equal(20_000, target.Objects.Count);
            Assert.InRange(observedWhileBlocked, 1, OutputPump.Capacity + 2);
        }

        [Fact]
        public async Task A_consumer_that_throws_while_the_queue_is_full_does_not_leave_the_producer_blocked()
        {
            var target = new CollectingOutput { OnObject = item => { if ((int)item == 0) { Thread.Sleep(200); throw new InvalidOperationException("pipeline stopped"); } } };
            using var pump = new OutputPump();
            using var cancellation = new CancellationTokenSource();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Task<int>? work = null;

            Assert.Throws<InvalidOperationException>(() => pump.Run(
                output => work = Task.Run(() =>
                {
                    for (int i = 0; i < 100_000; i++)
                    {
                        output.WriteObject(i);
                    }

                    return 0;
                }),
                target,
                cancellation));

            // A writer left blocked on the full queue would never finish (and Run would wait its 5 s for it); the
            // bounds are generous because the suite runs on 2 shared cores.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "Run took " + clock.Elapsed);
            Task finished = await Task.WhenAny(work!, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(finished == work, "the producer is still blocked");
        }
    }

    /// <summary>A loopback TCP server that answers every connection with one scripted text and records each request
    /// head: for responses Kestrel will not send (malformed header lines) and for a proxy that answers 407.</summary>
    internal sealed class RawHttpListener : IAsyncDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly Func<string, string> _respond;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly List<string> _heads = new List<string>();
        private readonly Task _loop;

        public RawHttpListener(Func<string, string> respond)
        {
            _respond = respond;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _loop = Task.Run(LoopAsync);
        }

        public int Port { get; }

        public Uri BaseUri => new Uri("http://127.0.0.1:" + Port + "/compatible-mode/v1");

        public int Requests
        {
            get
            {
                lock (_heads)
                {
                    return _heads.Count;
                }
            }
        }

        public IReadOnlyList<string> Heads
        {
            get
            {
                lock (_heads)
                {
                    return _heads.ToList();
                }
            }
        }

        public void Clear()
        {
            lock (_heads)
            {
                _heads.Clear();
            }
        }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    NetworkStream stream = client.GetStream();
                    while (!_stop.IsCancellationRequested)
                    {
                        string? head = await ReadHeadAsync(stream);
                        if (head == null)
                        {
                            return;
                        }

                        lock (_heads)
                        {
                            _heads.Add(head);
                        }

                        byte[] answer = Encoding.UTF8.GetBytes(_respond(head));
                        await stream.WriteAsync(answer, _stop.Token);
                        await stream.FlushAsync(_stop.Token);
                        if (_respond(head).Contains("Connection: close", StringComparison.OrdinalIgnoreCase))
                        {
                            await Task.Delay(50);
                            return;
                        }
                    }
                }
                catch (Exception)
                {
                    // The client gave up: that is what these tests provoke.
                }
            }
        }

        /// <summary>The request line and headers (a body, if any, is skipped by Content-Length).</summary>
        private async Task<string?> ReadHeadAsync(NetworkStream stream)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                if (await stream.ReadAsync(one, timeout.Token) == 0)
                {
                    return null;
                }

                head.Append((char)one[0]);
            }

            string text = head.ToString();
            int at = text.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                int end = text.IndexOf("\r\n", at, StringComparison.Ordinal);
                int length = int.Parse(text.Substring(at + 15, end - at - 15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                var body = new byte[length];
                int read = 0;
                while (read < length)
                {
                    int n = await stream.ReadAsync(body.AsMemory(read), _stop.Token);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }
            }

            return text;
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                await _loop.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception)
            {
            }

            _stop.Dispose();
        }
    }
}
