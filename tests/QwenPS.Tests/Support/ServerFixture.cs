using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Engine;
using QwenPS.Http;
using QwenPS.TestServer;
using Xunit;

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

        public async Task InitializeAsync()
        {
            Server = await DashScopeTestServer.StartAsync(new DashScopeTestServerOptions { ExpectedApiKey = Key });
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
        }

        internal TestClient CreateClient(Action<QwenClientSettings>? configure = null, string? key = null) =>
            CreateClient(Http, Server.BaseUri, key ?? Key, configure);

        /// <summary>A client for any endpoint and HttpClient (a closed port, a wrapped handler, a TLS listener).</summary>
        internal static TestClient CreateClient(HttpClient http, Uri baseUri, string key, Action<QwenClientSettings>? configure = null)
        {
            var output = new CollectingOutput();
            var delays = new List<TimeSpan>();
            var settings = new QwenClientSettings(http, baseUri, ApiKey.Resolve(null, null, name => name == ApiKey.EnvironmentVariable ? key : null), output)
            {
                Retry = new RetryPolicy(3, new Random(3)),
                IdleTimeout = TimeSpan.FromSeconds(10),
                // Retries do not really wait in tests; the waits asked for are recorded instead.
                Delay = (delay, token) =>
                {
                    lock (delays)
                    {
                        delays.Add(delay);
                    }

                    return Task.CompletedTask;
                },
                PollInterval = _ => TimeSpan.FromMilliseconds(10),
            };
            configure?.Invoke(settings);
            return new TestClient(new QwenClient(settings), output, delays);
        }
    }

    internal sealed record TestClient(QwenClient Client, CollectingOutput Output, List<TimeSpan> Delays);
}
