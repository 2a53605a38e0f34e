using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Engine;
using QwenPS.Errors;
using QwenPS.Files;
using QwenPS.Files.Wire;
using QwenPS.Output;
using QwenPS.Session;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using QwenPS.Transport;

namespace QwenPS.Tests.Faults
{
    /// <summary>Load runs alone (no other test allocating or using the thread pool), so the memory figures mean something.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class LoadCollection
    {
        public const string Name = "Load";
    }

    /// <summary>
    /// Many calls against the local server: all succeed, connections are reused, memory after the run is flat.
    /// The default run is short; QWENPS_LONG_TESTS=1 runs the 10,000 sequential and 1,000 concurrent calls.
    /// Wall time is reported, never asserted.
    /// </summary>
    [Collection(LoadCollection.Name)]
    [Trait("Category", "Load")]
    public sealed class LoadTests : IAsyncLifetime
    {
        private static readonly bool Long = Environment.GetEnvironmentVariable("QWENPS_LONG_TESTS") == "1";
        private readonly ITestOutputHelper _log;
        private DashScopeTestServer _server = null!;
        private HttpClient _http = null!;

        public LoadTests(ITestOutputHelper log)
        {
            _log = log;
        }

        public async ValueTask InitializeAsync()
        {
            _server = await DashScopeTestServer.StartAsync(new DashScopeTestServerOptions { ExpectedApiKey = FaultFixture.CanaryKey });
            _http = HttpClientCache.Create(ProxySettings.Default, _ => null);
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _server.DisposeAsync();
        }

        /// <summary>One cmdlet call: a fresh client and output, as each Invoke-QwenChat has, over the shared HttpClient.</summary>
        private async Task<QwenChatResponse> CallAsync(int n)
        {
            TestClient test = ServerFixture.CreateClient(_http, _server.BaseUri, FaultFixture.CanaryKey);
            var options = new ChatRun { Stream = n % 2 == 0 };
            ChatRequest request = ChatOperation.PrepareRequest(options, new ChatRequest("qwen-plus", new[] { Fault.User("q" + n) }), _ => { });
            QwenChatResponse response = await ChatOperation.RunAsync(test.Client, request, options, test.Output, CancellationToken.None);
            Assert.Equal("Answer to: q" + n, response.Content);
            Assert.False(response.Incomplete);
            return response;
        }

        private static long SettledMemory()
        {
            for (int i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            return GC.GetTotalMemory(forceFullCollection: true);
        }

        private void Report(string what, int calls, TimeSpan elapsed, long before, long after, int connections)
        {
            _log.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "load [{0}] {1} calls in {2:0.00} s ({3:0} calls/s), connections {4}, managed memory before {5:0.0} MB, after {6:0.0} MB, growth {7:+0.0;-0.0} MB, threads {8}",
                what,
                calls,
                elapsed.TotalSeconds,
                calls / elapsed.TotalSeconds,
                connections,
                before / 1048576.0,
                after / 1048576.0,
                (after - before) / 1048576.0,
                Process.GetCurrentProcess().Threads.Count));
        }

        [Fact]
        public async Task Sequential_calls_all_succeed_on_one_connection_with_flat_memory()
        {
            int calls = Long ? 10_000 : 1_000;
            const int batch = 500;
            for (int i = 0; i < 50; i++)
            {
                await CallAsync(i);
            }

            _server.ClearRequests();
            long before = SettledMemory();
            var clock = Stopwatch.StartNew();
            int connections = 0;
            for (int start = 0; start < calls; start += batch)
            {
                for (int i = start; i < start + batch; i++)
                {
                    await CallAsync(i);
                }

                // The server records every request; clear per batch so its memory does not count as the client's.
                Assert.Equal(batch, _server.Requests.Count);
                connections = Math.Max(connections, _server.ConnectionCount);
                Assert.Equal(1, _server.ConnectionCount);
                _server.ClearRequests();
            }

            clock.Stop();
            long after = SettledMemory();
            Report("sequential", calls, clock.Elapsed, before, after, connections);
            Assert.True(after - before < 16 * 1048576, "Managed memory grew by " + ((after - before) / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB.");
        }

        [Fact]
        public async Task Concurrent_calls_all_succeed_reuse_their_connections_and_leave_memory_flat()
        {
            int calls = Long ? 1_000 : 200;
            int rounds = Long ? 8 : 3;
            // Warm-up at full width, so the pool's connections (and their buffers) exist before memory is measured.
            await Task.WhenAll(Enumerable.Range(0, calls).Select(CallAsync));
            int warmUpConnections = _server.ConnectionCount;
            _server.ClearRequests();
            long before = SettledMemory();
            var clock = Stopwatch.StartNew();
            int firstRoundConnections = 0;
            var connectionIds = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
            var perRound = new long[rounds];
            for (int round = 0; round < rounds; round++)
            {
                QwenChatResponse[] responses = await Task.WhenAll(Enumerable.Range(round * calls, calls).Select(CallAsync));
                Assert.Equal(calls, responses.Length);
                if (round == 0)
                {
                    firstRoundConnections = _server.ConnectionCount;
                }

                // The server records every request; clear per round so its records do not count as the client's memory.
                Assert.Equal(calls, _server.Requests.Count);
                connectionIds.UnionWith(_server.Requests.Select(r => r.ConnectionId));
                _server.ClearRequests();
                clock.Stop();
                perRound[round] = SettledMemory();
                clock.Start();
            }

            clock.Stop();
            _log.WriteLine("managed memory after each round (MB): " + string.Join(", ", perRound.Select(m => (m / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture))));
            int connections = connectionIds.Count;
            Assert.Equal(0, _server.ActiveRequests);
            long after = perRound[^1];
            Report(
                "concurrent x" + calls + ", " + rounds + " rounds after a warm-up round on " + warmUpConnections + " connections; first measured round " + firstRoundConnections,
                rounds * calls,
                clock.Elapsed,
                before,
                after,
                connections);

            // Reused: the measured rounds run on the warm-up's pooled connections (at most 256 per server), not one per call.
            Assert.True(connections <= Math.Min(calls, 256) + 8, "distinct connections " + connections + " for " + (rounds * calls) + " calls");
            Assert.True(connections < rounds * calls / 2, "distinct connections " + connections + " for " + (rounds * calls) + " calls");
            Assert.True(after - before < 16 * 1048576, "Managed memory grew by " + ((after - before) / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB.");
            Assert.True(perRound[^1] - perRound[0] < 4 * 1048576, "Memory kept growing from round to round.");
        }
    }
}
