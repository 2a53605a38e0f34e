using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Benchmarks.Report;
using QwenPS.Documents;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Output;
using QwenPS.TestServer;

namespace QwenPS.Benchmarks.Documents
{
    /// <summary>
    /// Scenario 5: Invoke-QwenDocumentChat's engine (DocumentChatOperation behind an OutputPump, as the cmdlet runs
    /// it) asks one question of many small documents against the in-process test server, which answers every chat
    /// after a fixed delay. The ideal rate is ThrottleLimit ÷ delay; the target is ≥ 0.9 × that, with memory that does
    /// not grow with the number of documents. Documents are stored file ids (no upload: uploads are held to 3 per
    /// second by design, which would measure the service's limit, not QwenPS) and local text files sent inline.
    /// </summary>
    internal static class DocumentScenario
    {
        private static readonly TimeSpan ChatDelay = TimeSpan.FromMilliseconds(200);

        public static async Task<List<ResultTable>> RunAsync(bool quick)
        {
            int[] counts = quick ? new[] { 50 } : new[] { 50, 200 };
            int[] limits = quick ? new[] { 4 } : new[] { 4, 16 };
            var table = new ResultTable(
                "5. Documents: one question per document, the server answering each chat after " + Format.Number(ChatDelay.TotalMilliseconds, "0") + " ms; in-process server",
                "Documents", "Sent as", "ThrottleLimit", "Docs/s", "Ideal (limit ÷ delay)", "vs ideal", "Live heap during the run (most)", "Growth over the heap before", "Heap after");
            string folder = Path.Combine(Path.GetTempPath(), "qwenps-bench-docs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                await using DashScopeTestServer server = await DashScopeTestServer.StartAsync(new DashScopeTestServerOptions { ExpectedApiKey = QwenCalls.Key }).ConfigureAwait(false);
                using var http = QwenCalls.CreateHttpClient();
                // Warm-up (JIT, connections), not counted.
                foreach (string mode in new[] { "file id", "text" })
                {
                    Run(server, http, Prepare(server, folder, 16, mode), mode, 4, 16);
                }

                var peaks = new Dictionary<(string, int), List<long>>();
                foreach (int count in counts)
                {
                    foreach (string mode in new[] { "file id", "text" })
                    {
                        foreach (int limit in limits)
                        {
                            List<DocumentInput> documents = Prepare(server, folder, count, mode);
                            (double seconds, long peak, long before, long after) = Run(server, http, documents, mode, limit, count);
                            double rate = count / seconds;
                            double ideal = limit / ChatDelay.TotalSeconds;
                            table.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture), mode, limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                                Format.Number(rate, "0.0"), Format.Number(ideal, "0.0"), Format.Ratio(rate / ideal), Megabytes(peak), Kilobytes(peak - before), Megabytes(after));
                            if (count == counts.Max())
                            {
                                table.Target(count + " documents as " + mode + ", ThrottleLimit " + limit + ": ≥ 0.9 × the ideal rate", rate / ideal >= 0.9, Format.Ratio(rate / ideal));
                            }

                            var key = (mode, limit);
                            if (!peaks.TryGetValue(key, out List<long>? list))
                            {
                                peaks[key] = list = new List<long>();
                            }

                            list.Add(peak - before);
                        }
                    }
                }

                if (counts.Length > 1)
                {
                    foreach (KeyValuePair<(string Mode, int Limit), List<long>> pair in peaks)
                    {
                        long more = pair.Value[pair.Value.Count - 1] - pair.Value[0];
                        table.Target("memory flat as documents grow " + counts[0] + " → " + counts[counts.Length - 1] + " (" + pair.Key.Mode + ", ThrottleLimit " + pair.Key.Limit + "): the run's heap growth at most 256 KB more", more <= 256 * 1024, Kilobytes(more) + " more");
                    }
                }

                table.Note("Docs/s counts from the first request to the last answer written through the OutputPump; the chat delay is the server's (`DelayThen`), so the ideal assumes zero client cost.");
                table.Note("Live heap: GC.GetTotalMemory(true) when a quarter, half, three quarters and all of the answers have reached the pipeline thread (the in-process server's request log is cleared first, so its growth is not counted); the most of the four is shown. Growth: that minus the live heap just before the run. Heap after: the live heap after the run.");
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            return new List<ResultTable> { table };
        }

        private static List<DocumentInput> Prepare(DashScopeTestServer server, string folder, int count, string mode)
        {
            server.Reset();
            var documents = new List<DocumentInput>(count);
            for (int i = 0; i < count; i++)
            {
                string text = "Small document " + i + ": " + new string('x', 400);
                if (mode == "file id")
                {
                    string id = "file-fe-bench" + i.ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
                    server.Files.Add(id, "doc-" + i + ".txt", Encoding.UTF8.GetBytes(text));
                    documents.Add(DocumentInput.Id(id));
                }
                else
                {
                    string path = Path.Combine(folder, "doc-" + i + ".txt");
                    File.WriteAllText(path, text);
                    documents.Add(DocumentInput.Local(path));
                }
            }

            server.Enqueue(ServerBehavior.DelayThen(ChatDelay).ForPath("/chat/completions"), count);
            return documents;
        }

        private static (double Seconds, long Peak, long Before, long After) Run(DashScopeTestServer server, System.Net.Http.HttpClient http, List<DocumentInput> documents, string mode, int limit, int count)
        {
            var options = new DocumentChatOptions("Summarise in one line.", new ChatRequest(DocumentChatOptions.DefaultModel, Array.Empty<QwenMessage>()))
            {
                ThrottleLimit = limit,
                NoReuse = true,
                SendAs = mode == "text" ? QwenDocumentSendMode.Text : QwenDocumentSendMode.File,
            };
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long before = GC.GetTotalMemory(true);
            long peak = before;
            var answers = new CountingOutput(count, () =>
            {
                server.ClearRequests();
                peak = Math.Max(peak, GC.GetTotalMemory(true));
            });
            var clock = Stopwatch.StartNew();
            using (var pump = new OutputPump())
            using (var cancellation = new CancellationTokenSource())
            {
                pump.Run(
                    output => Task.Run(() =>
                    {
                        QwenClient client = QwenCalls.Client(http, server.BaseUri, output);
                        return new DocumentChatOperation(client, options, null, output).RunAsync(documents, cancellation.Token);
                    }),
                    answers,
                    cancellation);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            if (answers.Answers != count || answers.Failed != 0)
            {
                throw new InvalidOperationException(mode + ", ThrottleLimit " + limit + ": " + answers.Answers + " answers, " + answers.Failed + " failed, for " + count + " documents.");
            }

            server.ClearRequests();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return (seconds, peak, before, GC.GetTotalMemory(true));
        }

        private static string Megabytes(long bytes) => Format.Number(bytes / 1048576.0, "0.0") + " MB";

        private static string Kilobytes(long bytes) => Format.Number(bytes / 1024.0, "0") + " KB";

        /// <summary>Counts the answers that reach the pipeline thread, measuring the heap at each quarter; drops everything else.</summary>
        private sealed class CountingOutput : IQwenOutput
        {
            private readonly int _total;
            private readonly Action _checkpoint;

            public CountingOutput(int total, Action checkpoint)
            {
                _total = total;
                _checkpoint = checkpoint;
            }

            public int Answers { get; private set; }

            public int Failed { get; private set; }

            public void WriteObject(object item)
            {
                Answers++;
                if (Answers * 4 / _total != (Answers - 1) * 4 / _total)
                {
                    _checkpoint();
                }

                if (item is QwenDocumentAnswer { Succeeded: false })
                {
                    Failed++;
                }
            }

            public void WriteVerbose(string message)
            {
            }

            public void WriteDebug(string message)
            {
            }

            public void WriteWarning(string message)
            {
            }

            public void WriteProgress(QwenProgress progress)
            {
            }

            public void WriteLive(LiveText text)
            {
            }

            public void WriteError(QwenException error) => Failed++;
        }
    }
}
