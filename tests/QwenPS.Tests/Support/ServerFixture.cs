using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Files;
using QwenPS.Output;
using QwenPS.Session;
using QwenPS.TestServer;
using QwenPS.Transport;

namespace QwenPS.Tests.Support
{
    /// <summary>One local DashScope-compatible server per test class; each test resets it.</summary>
    public class ServerFixture : IAsyncLifetime
    {
        /// <summary>A key shaped like a real one, so leak checks also catch pattern-based redaction gaps.</summary>
        public const string TestKey = "sk-canary0123456789abcdef";

        public ServerFixture()
            : this(TestKey)
        {
        }

        protected ServerFixture(string key)
        {
            Key = key;
        }

        /// <summary>The key the server expects and <see cref="CreateClient"/> sends by default.</summary>
        public string Key { get; }

        public DashScopeTestServer Server { get; private set; } = null!;

        /// <summary>No environment proxy: tests must reach loopback directly whatever the CI environment says.</summary>
        internal HttpClient Http { get; } = HttpClientCache.Create(ProxySettings.Default, _ => null);

        public async ValueTask InitializeAsync()
        {
            Server = await DashScopeTestServer.StartAsync(new DashScopeTestServerOptions { ExpectedApiKey = Key });
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
        }

        internal TestClient CreateClient(Action<TransportSettings>? configure = null, string? key = null) =>
            CreateClient(Http, Server.BaseUri, key ?? Key, configure);

        /// <summary>A client for any endpoint and HttpClient (a closed port, a wrapped handler, a TLS listener), built by the module's factory.</summary>
        internal static TestClient CreateClient(HttpClient http, Uri baseUri, string key, Action<TransportSettings>? configure = null, object? scope = null)
        {
            var output = new CollectingOutput();
            var delays = new List<TimeSpan>();
            QwenClientFactory factory = QwenClientFactory.Create(new QwenClientOptions
            {
                BaseUri = baseUri,
                Scope = scope,
                Environment = name => name == ApiKey.EnvironmentVariable ? key : null,
                Http = http,
                IdleTimeoutSec = 10,
                Configure = settings =>
                {
                    settings.Retry = new RetryPolicy(3, new Random(3));
                    // Retries do not really wait in tests; the waits asked for are recorded instead.
                    settings.Delay = (delay, token) =>
                    {
                        lock (delays)
                        {
                            delays.Add(delay);
                        }

                        return Task.CompletedTask;
                    };
                    settings.PollInterval = _ => TimeSpan.FromMilliseconds(10);
                    configure?.Invoke(settings);
                },
            });
            return new TestClient(factory.CreateClient(output), output, delays);
        }
    }

    /// <summary>A client and what it wrote; <see cref="Chat"/> and <see cref="Files"/> are its endpoint classes (one each, so a chat's partial response stays readable).</summary>
    internal sealed class TestClient
    {
        public TestClient(QwenClient client, CollectingOutput output, List<TimeSpan> delays)
        {
            Client = client;
            Output = output;
            Delays = delays;
            Chat = new ChatApi(client.Transport);
            Files = new FilesApi(client.Transport);
        }

        public QwenClient Client { get; }

        public CollectingOutput Output { get; }

        public List<TimeSpan> Delays { get; }

        public ChatApi Chat { get; }

        public FilesApi Files { get; }
    }
}
