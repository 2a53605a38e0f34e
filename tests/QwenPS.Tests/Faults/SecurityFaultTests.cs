using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Files;
using QwenPS.Output;
using QwenPS.Session;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using QwenPS.Transport;

namespace QwenPS.Tests.Faults
{
    /// <summary>The key goes to the service in one header and nowhere else; transport security is never relaxed.</summary>
    public sealed class SecurityFaultTests : FaultTestBase
    {
        public SecurityFaultTests(FaultFixture fixture)
            : base(fixture)
        {
            fixture.Server.ExpectedApiKey = fixture.Key;
        }

        public static TheoryData<string> Keys => new TheoryData<string> { FaultFixture.CanaryKey, FaultFixture.PlainCanaryKey };

        private TestClient ClientWith(string key, Action<TransportSettings>? configure = null)
        {
            Server.ExpectedApiKey = key;
            return Fixture.CreateClient(configure, key);
        }

        [Theory]
        [MemberData(nameof(Keys))]
        public async Task A_key_echoed_back_by_the_service_or_a_proxy_is_in_nothing_written_or_thrown(string key)
        {
            var echoes = new (string Name, ServerBehavior Behavior, bool Stream)[]
            {
                ("compat error, retried", ServerBehavior.Error(500, "InternalError", "Key " + key + " failed; Authorization: Bearer " + key), true),
                ("native error", ServerBehavior.NativeError(401, "InvalidApiKey", "Invalid API-key provided: " + key), false),
                ("proxy login page", ServerBehavior.Body(200, "<html><body>Session expired for Authorization: Bearer " + key + "</body></html>", "text/html"), true),
                ("unknown error shape", ServerBehavior.Body(400, "{\"detail\":\"bad header Bearer " + key + "\"}", "application/json"), false),
                ("error chunk mid-stream", ServerBehavior.Stream(new StreamOptions { Reply = Fault.Sixteen, ErrorChunkAfterChunks = 2, ErrorCode = "InternalError", ErrorMessage = "upstream rejected " + key }), true),
                ("error chunk with the key as its code", ServerBehavior.Stream(new StreamOptions { Reply = Fault.Sixteen, ErrorChunkAfterChunks = 2, ErrorCode = key, ErrorMessage = "x" }), true),
                ("request id header echo", ServerBehavior.Error(400, key, "bad", key, Fault.Headers(("x-request-id", key))), true),
                ("200 error envelope", ServerBehavior.Body(200, "{\"error\":{\"code\":\"" + key + "\",\"message\":\"echo " + key + "\",\"type\":\"" + key + "\"},\"request_id\":\"" + key + "\"}", "application/json"), false),
            };

            foreach ((string name, ServerBehavior behavior, bool stream) in echoes)
            {
                Server.Reset();
                Server.Enqueue(behavior, times: 4);
                TestClient test = ClientWith(key, s => s.Retry = new RetryPolicy(1));
                test.Output.WriteVerbose("case: " + name);

                FaultOutcome outcome = await Fault.ChatAsync(test, stream);

                Assert.True(outcome.Error is QwenException, name + ": " + outcome.Error);
                KeyLeaks.AssertNone(outcome, key);
                KeyLeaks.AssertNone(new[] { ("client", KeyLeaks.Describe(test.Client)) }, key);
            }
        }

        [Theory]
        [MemberData(nameof(Keys))]
        public async Task Successful_calls_write_the_key_nowhere_in_any_stream_or_record(string key)
        {
            Server.Enqueue(ServerBehavior.Reply(new ChatReply { ToolCalls = new[] { new ToolCallReply(0, "call_1", "f", new[] { "{}" }) } }));
            TestClient test = ClientWith(key, s => s.ProgressInterval = TimeSpan.Zero);
            string path = Path.Combine(Path.GetTempPath(), "qwenps-sec-" + Guid.NewGuid().ToString("N") + ".txt");
            await File.WriteAllTextAsync(path, "document");
            try
            {
                var outcomes = new List<FaultOutcome>
                {
                    await Fault.ChatAsync(test),
                    await Fault.ChatAsync(test, model: "qwq-plus"),
                    await Fault.ChatAsync(test, stream: false),
                    await Fault.RunAsync(test, () => FileReferences.UploadAsync(test.Client, new[] { path }, TimeSpan.FromSeconds(10), CancellationToken.None)),
                };

                Assert.All(outcomes, o => Assert.Null(o.Error));
                Assert.NotEmpty(test.Output.Verbose);
                Assert.NotEmpty(test.Output.Debug);
                Assert.NotEmpty(test.Output.Progress);
                foreach (FaultOutcome outcome in outcomes)
                {
                    KeyLeaks.AssertNone(outcome, key);
                }

                KeyLeaks.AssertNone(new[] { ("client", KeyLeaks.Describe(test.Client)), ("settings", test.Client.Settings.ToString()!), ("key", test.Client.Settings.ApiKey.ToString()) }, key);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task The_key_is_sent_in_the_Authorization_header_only()
        {
            TestClient test = Fixture.CreateClient();
            string path = Path.Combine(Path.GetTempPath(), "qwenps-sec-" + Guid.NewGuid().ToString("N") + ".txt");
            await File.WriteAllTextAsync(path, "document");
            try
            {
                await Fault.ChatAsync(test, prompt: "hello");
                QwenFileInfo file = await test.Files.UploadFileAsync(path, FilePurposes.FileExtract, CancellationToken.None);
                await test.Files.GetFileAsync(file.Id, CancellationToken.None);
                await test.Files.ListFilesAsync(null, 10, _ => { }, CancellationToken.None);
                await test.Files.DeleteFileAsync(file.Id, CancellationToken.None);
            }
            finally
            {
                File.Delete(path);
            }

            Assert.Equal(5, Server.Requests.Count);
            foreach (RecordedRequest request in Server.Requests)
            {
                Assert.Equal("Bearer " + FaultFixture.CanaryKey, request.Header("Authorization"));
                Assert.DoesNotContain(request.Headers, h => h.Key != "Authorization" && h.Value.Contains("canary", StringComparison.OrdinalIgnoreCase));
                Assert.DoesNotContain("canary", request.Path + request.Query + request.BodyText, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(request.Upload?.Fields.Values ?? Enumerable.Empty<string>(), v => v.Contains("canary", StringComparison.OrdinalIgnoreCase));
            }

            Assert.Null(Fixture.Http.DefaultRequestHeaders.Authorization);
        }

        [Theory]
        [InlineData("http://dashscope.aliyuncs.com/compatible-mode/v1")]
        [InlineData("http://10.0.0.5:8080/v1")]
        [InlineData("http://localhost.example.com/v1")]
        [InlineData("http://127.0.0.1.nip.io/v1")]
        [InlineData("http://[fe80::1]/v1")]
        public void Plain_http_is_refused_for_a_non_loopback_host_however_it_is_given(string uri)
        {
            var session = new ConnectionDefaults(null, new Uri(uri), null, null);
            Func<string, string?> env = name => name == QwenEndpoints.BaseUrlVariable ? uri : null;
            var attempts = new Func<Uri>[]
            {
                () => QwenEndpoints.Resolve(new Uri(uri), null, null, _ => null),
                () => QwenEndpoints.Resolve(null, null, session, _ => null),
                () => QwenEndpoints.Resolve(null, null, null, env),
            };

            foreach (Func<Uri> attempt in attempts)
            {
                QwenException error = Assert.Throws<QwenException>(() => attempt());
                Assert.Equal(QwenErrorIds.InsecureEndpoint, error.ErrorId);
                Assert.Equal(QwenErrorCategory.SecurityError, error.Category);
            }
        }

        [Theory]
        [InlineData(301)]
        [InlineData(302)]
        [InlineData(307)]
        [InlineData(308)]
        public async Task A_redirect_is_never_followed_so_the_key_goes_nowhere_else(int status)
        {
            var elsewhere = new TcpListener(IPAddress.Loopback, 0);
            elsewhere.Start();
            try
            {
                string target = "http://127.0.0.1:" + ((IPEndPoint)elsewhere.LocalEndpoint).Port + "/compatible-mode/v1/chat/completions";
                Server.Enqueue(ServerBehavior.Body(status, string.Empty, null, Fault.Headers(("Location", target))));
                TestClient test = Fixture.CreateClient();

                FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(Server, requests: 1, within: Fault.Quick);

                QwenException error = outcome.Failure(QwenErrorIds.HttpError, QwenErrorCategory.InvalidResult);
                Assert.Equal(status, error.StatusCode);
                Assert.False(elsewhere.Pending(), "The client connected to the redirect target.");
            }
            finally
            {
                elsewhere.Stop();
            }
        }

        [Fact]
        public async Task An_untrusted_tls_certificate_fails_at_once_as_a_security_error_and_no_request_is_sent()
        {
            using X509Certificate2 certificate = SelfSigned();
            using var listener = new TlsListener(certificate);
            using HttpClient http = HttpClientCache.Create(ProxySettings.Default, _ => null);
            TestClient test = ServerFixture.CreateClient(http, new Uri("https://127.0.0.1:" + listener.Port + "/compatible-mode/v1"), FaultFixture.CanaryKey);

            FaultOutcome outcome = (await Fault.ChatAsync(test)).Verify(server: null, requests: 0, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.ConnectionFailed, QwenErrorCategory.SecurityError);
            Assert.False(error.IsTransient);
            Assert.Equal(1, error.Attempts);
            Assert.Contains("certificate", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(outcome.Output.Warnings);
            await listener.StopAsync();
            Assert.Equal(1, listener.Handshakes);
            Assert.Equal(0, listener.RequestsDecrypted);
        }

        [Fact]
        public void Tls_validation_is_never_disabled_in_the_handler_or_anywhere_in_the_source()
        {
            using HttpClient http = HttpClientCache.Create(ProxySettings.Default, _ => null);
            var handler = (HttpClientHandler)typeof(HttpMessageInvoker).GetField("_handler", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(http)!;
            Assert.Null(handler.ServerCertificateCustomValidationCallback);
            Assert.Equal(ClientCertificateOption.Manual, handler.ClientCertificateOptions);
            Assert.False(handler.AllowAutoRedirect);

            string[] forbidden =
            {
                "ServerCertificateCustomValidationCallback",
                "ServerCertificateValidationCallback",
                "DangerousAcceptAnyServerCertificateValidator",
                "RemoteCertificateValidationCallback",
                "CheckCertificateRevocationList",
                "SslProtocols",
            };
            foreach (string file in Directory.EnumerateFiles(TestPaths.Combine("src"), "*.cs", SearchOption.AllDirectories))
            {
                string text = File.ReadAllText(file);
                foreach (string word in forbidden)
                {
                    Assert.False(text.Contains(word, StringComparison.Ordinal), file + " mentions " + word);
                }
            }
        }

        [Fact]
        public async Task A_SecureString_key_is_kept_by_nothing_the_call_leaves_behind()
        {
            const string key = "sk-securecanary-1f2e3d4c5b6a79880f1e2d3c4b5a6978";
            using var secure = new SecureString();
            foreach (char c in key)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            Server.ExpectedApiKey = key;
            Server.Enqueue(ServerBehavior.Status(503));
            var output = new CollectingOutput();
            QwenClient client = QwenClientFactory.Create(new QwenClientOptions
            {
                ApiKey = secure,
                BaseUri = Server.BaseUri,
                Environment = _ => null,
                Http = Fixture.Http,
                Configure = settings => settings.Delay = (_, _) => Task.CompletedTask,
            }).CreateClient(output);
            var test = new TestClient(client, output, new List<TimeSpan>());

            (await Fault.ChatAsync(test, stream: false)).Verify(Server, requests: 2, within: Fault.Quick).Success();
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = Fault.Sixteen, CutAfterChunks = 3 }));
            FaultOutcome broken = (await Fault.ChatAsync(test)).Verify(Server, requests: 3, within: Fault.Quick);
            broken.Failure(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError);

            Assert.Equal("-ApiKey", client.Settings.ApiKey.Source);
            Assert.DoesNotContain(typeof(ApiKey).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public), f => f.FieldType == typeof(string) && f.Name != "<Source>k__BackingField");
            Assert.Empty(KeyLeaks.ReachableStrings(client, key));
            Assert.Empty(KeyLeaks.ReachableStrings(broken.Error!, key));
            Assert.Null(Fixture.Http.DefaultRequestHeaders.Authorization);
        }

        private static X509Certificate2 SelfSigned()
        {
            using RSA rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        }

        /// <summary>A TLS server on loopback with an untrusted certificate: counts handshakes and decrypted requests.</summary>
        private sealed class TlsListener : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly X509Certificate2 _certificate;
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private readonly Task _loop;
            private int _handshakes;
            private int _requests;

            public TlsListener(X509Certificate2 certificate)
            {
                _certificate = certificate;
                _listener.Start();
                Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
                _loop = Task.Run(LoopAsync);
            }

            public int Port { get; }

            public int Handshakes => Volatile.Read(ref _handshakes);

            public int RequestsDecrypted => Volatile.Read(ref _requests);

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

                    using (client)
                    using (var tls = new SslStream(client.GetStream()))
                    {
                        Interlocked.Increment(ref _handshakes);
                        try
                        {
                            await tls.AuthenticateAsServerAsync(_certificate).WaitAsync(TimeSpan.FromSeconds(5), _stop.Token);
                            byte[] buffer = new byte[1024];
                            if (await tls.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5), _stop.Token) > 0)
                            {
                                Interlocked.Increment(ref _requests);
                            }
                        }
                        catch (Exception)
                        {
                            // The client refused the certificate: that is the point.
                        }
                    }
                }
            }

            public async Task StopAsync()
            {
                _stop.Cancel();
                _listener.Stop();
                await _loop.WaitAsync(TimeSpan.FromSeconds(5));
            }

            public void Dispose()
            {
                _stop.Cancel();
                _listener.Stop();
                _stop.Dispose();
            }
        }
    }
}
