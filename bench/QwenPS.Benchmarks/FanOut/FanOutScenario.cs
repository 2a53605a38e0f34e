using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Benchmarks.Report;
using QwenPS.TestServer;

namespace QwenPS.Benchmarks.FanOut
{
    /// <summary>
    /// Scenario 4: 64 concurrent chats from one process against the local test server, as ForEach-Object
    /// -Parallel or a runspace pool would run them, against a raw pooled HttpClient sending the same bodies.
    /// The server runs in this process too, so client and server share the 2 cores: the ratio is what the
    /// client's own work costs. Process CPU per request (client and server together) is shown too: it moves less
    /// than wall-clock throughput when other work shares the machine.
    /// </summary>
    internal static class FanOutScenario
    {
        private const int Workers = 64;

        public static async Task<List<ResultTable>> RunAsync(bool quick)
        {
            int perWorker = quick ? 4 : 25;
            int rounds = quick ? 2 : 9;
            await using DashScopeTestServer server = await DashScopeTestServer.StartAsync(new DashScopeTestServerOptions { ExpectedApiKey = QwenCalls.Key }).ConfigureAwait(false);
            var table = new ResultTable(
                "4. Fan-out: " + Workers + " concurrent workers × " + perWorker + " chats = " + Format.Int(Workers * perWorker) + " requests per run, " + rounds
                + " runs per row taken in turns (baseline, then each QwenPS path, again), median shown; server in the same process",
                "Reply", "Path", "Requests/s (median)", "Slowest – fastest run", "vs raw HttpClient", "Process CPU per request (median)", "Server connections (most in a run)");
            using var pipelines = new PipelineThreads(Workers);
            foreach (bool stream in new[] { false, true })
            {
                byte[] body = QwenCalls.Body(QwenCalls.Request("Hi", stream));
                using var raw = new HttpClient();
                using HttpClient ours = QwenCalls.CreateHttpClient();
                var paths = new (string Label, Func<Task> Run)[]
                {
                    ("Raw HttpClient, async (baseline)", () => AsyncWorkers(perWorker, () => RawAsync(raw, server.BaseUri, body, stream))),
                    ("QwenPS ChatApi.ChatAsync, async", () => AsyncWorkers(perWorker, () => QwenCalls.ChatAsync(ours, server.BaseUri, QwenCalls.Request("Hi", stream), stream ? _ => { } : null))),
                    ("QwenPS Invoke-QwenChat path: 64 pipeline threads, OutputPump", () => pipelines.RunAsync(() => Repeat(perWorker, () => QwenCalls.RunThroughPump(ours, server.BaseUri, QwenCalls.Request("Hi", stream), NullOutput.Instance)))),
                };

                var rates = paths.Select(_ => new List<double>()).ToArray();
                var cpu = paths.Select(_ => new List<double>()).ToArray();
                var connections = new int[paths.Length];
                for (int round = -1; round < rounds; round++)
                {
                    for (int p = 0; p < paths.Length; p++)
                    {
                        server.ClearRequests();
                        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                        long start = Stopwatch.GetTimestamp();
                        await paths[p].Run().ConfigureAwait(false);
                        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                        IReadOnlyList<RecordedRequest> requests = server.Requests;
                        if (requests.Count != Workers * perWorker || requests.Any(r => r.ResponseStatus != 200))
                        {
                            throw new InvalidOperationException(paths[p].Label + ": the server saw " + requests.Count + " requests, not all answered 200.");
                        }

                        // Round -1 warms up (JIT, connections opened) and is not counted.
                        if (round >= 0)
                        {
                            rates[p].Add(requests.Count / seconds);
                            cpu[p].Add(cpuSeconds * 1e6 / requests.Count);
                            connections[p] = Math.Max(connections[p], server.ConnectionCount);
                        }
                    }
                }

                double rawRate = Stats.Median(rates[0]);
                for (int p = 0; p < paths.Length; p++)
                {
                    double rate = Stats.Median(rates[p]);
                    string reply = stream ? "streamed" : "JSON";
                    table.Add(reply, paths[p].Label, Format.Number(rate, "0"), Format.Number(rates[p].Min(), "0") + " – " + Format.Number(rates[p].Max(), "0"), Format.Ratio(rate / rawRate), Format.Number(Stats.Median(cpu[p]), "0") + " µs", connections[p].ToString(System.Globalization.CultureInfo.InvariantCulture));
                    if (p > 0)
                    {
                        table.Target(reply + ", " + paths[p].Label + ": ≥0.9× the raw HttpClient's throughput", rate / rawRate >= 0.9, Format.Ratio(rate / rawRate));
                        table.Target(reply + ", " + paths[p].Label + ": connections reused, not one per request", connections[p] <= Workers, connections[p] + " connections for " + Workers * perWorker + " requests");
                    }
                }
            }

            return new List<ResultTable> { table };
        }

        private static async Task RawAsync(HttpClient http, Uri baseUri, byte[] body, bool stream)
        {
            using HttpRequestMessage request = QwenCalls.RawChat(baseUri, body);
            using HttpResponseMessage response = await http.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await response.Content.CopyToAsync(Stream.Null).ConfigureAwait(false);
        }

        private static void Repeat(int times, Action call)
        {
            for (int i = 0; i < times; i++)
            {
                call();
            }
        }

        private static Task AsyncWorkers(int perWorker, Func<Task> call) =>
            Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                for (int i = 0; i < perWorker; i++)
                {
                    await call().ConfigureAwait(false);
                }
            })));

        /// <summary>
        /// Long-lived threads standing in for the pipeline threads of a runspace pool: created once, outside the
        /// timings; each run hands every thread the same work and waits until all are done.
        /// </summary>
        private sealed class PipelineThreads : IDisposable
        {
            private readonly SemaphoreSlim[] _go;
            private readonly List<Exception> _failures = new List<Exception>();
            private CountdownEvent? _done;
            private Action? _work;
            private volatile bool _stopping;

            public PipelineThreads(int count)
            {
                _go = Enumerable.Range(0, count).Select(_ => new SemaphoreSlim(0)).ToArray();
                foreach (SemaphoreSlim go in _go)
                {
                    new Thread(() => Loop(go)) { IsBackground = true, Name = "pipeline" }.Start();
                }
            }

            public Task RunAsync(Action work) => Task.Run(() =>
            {
                _work = work;
                using (_done = new CountdownEvent(_go.Length))
                {
                    foreach (SemaphoreSlim go in _go)
                    {
                        go.Release();
                    }

                    _done.Wait();
                }

                if (_failures.Count > 0)
                {
                    throw new AggregateException(_failures);
                }
            });

            private void Loop(SemaphoreSlim go)
            {
                while (true)
                {
                    go.Wait();
                    if (_stopping)
                    {
                        return;
                    }

                    try
                    {
                        _work!();
                    }
                    catch (Exception ex)
                    {
                        lock (_failures)
                        {
                            _failures.Add(ex);
                        }
                    }
                    finally
                    {
                        _done!.Signal();
                    }
                }
            }

            public void Dispose()
            {
                _stopping = true;
                foreach (SemaphoreSlim go in _go)
                {
                    go.Release();
                }
            }
        }
    }
}
