using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Benchmarks.Decode;
using QwenPS.Benchmarks.Report;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Files;
using QwenPS.Output;
using QwenPS.TestServer;

namespace QwenPS.Benchmarks.Memory
{
    /// <summary>
    /// Scenario 3: peak memory growth while a long stream is consumed record by record, and while a big file is
    /// uploaded. Peaks are process-wide, so each run happens in a fresh child process of this executable (the
    /// Kestrel test server stays in this parent process and is not counted). The child warms its path up on a
    /// small stream or file, collects, resets the kernel's peak-RSS mark, then runs the big one.
    /// </summary>
    internal static class MemoryScenario
    {
        public const string ChildSwitch = "--child";
        private const long MB = 1024 * 1024;
        private const double TargetMb = 32;
        private const int WarmUps = 3;

        public static async Task<ResultTable> RunAsync(bool quick)
        {
            long streamBytes = (quick ? 20 : 200) * MB;
            long uploadBytes = (quick ? 20 : 150) * MB;
            await using DashScopeTestServer server = await DashScopeTestServer.StartAsync().ConfigureAwait(false);
            string directory = Path.Combine(Path.GetTempPath(), "qwenps-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            try
            {
                string small = CreateFile(Path.Combine(directory, "warm-up.txt"), MB);
                string big = CreateFile(Path.Combine(directory, "document.txt"), uploadBytes);
                var results = new List<(string Scenario, string Path, ChildResult Result)>();
                foreach (string path in new[] { "raw", "qwenps" })
                {
                    (long sent, long events) = EnqueueStreams(server, streamBytes);
                    ChildResult streamed = await RunChildAsync("stream", path, server.BaseUri, string.Empty).ConfigureAwait(false);
                    Check(
                        path == "raw" ? streamed.Bytes >= sent : streamed.Records == events + 1,
                        "the " + path + " stream read " + streamed.Bytes + " bytes for " + sent + ", " + streamed.Records + " records for " + events + " events");
                    results.Add(("stream", path, streamed));
                }

                foreach (string path in new[] { "raw", "qwenps" })
                {
                    server.ClearRequests();
                    ChildResult uploaded = await RunChildAsync("upload", path, server.BaseUri, small + "|" + big).ConfigureAwait(false);
                    long received = server.Requests.Last().Upload?.Length ?? 0;
                    Check(received == uploadBytes, "the server received " + received + " of " + uploadBytes + " bytes from the " + path + " upload");
                    results.Add(("upload", path, uploaded));
                }

                return Table(results, streamBytes, uploadBytes);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        /// <summary>Small warm-up streams, then the big one: role chunk, repeated content events, finish, usage, [DONE].</summary>
        private static (long Bytes, long Events) EnqueueStreams(DashScopeTestServer server, long bytes)
        {
            string block = RecordedStream.ContentEvents(200);
            int blockBytes = Encoding.UTF8.GetByteCount(block);
            int repeats = (int)(bytes / blockBytes);
            string head = RecordedStream.Event(RecordedStream.RoleChunk());
            string tail = RecordedStream.Event(RecordedStream.FinishChunk()) + RecordedStream.Event(RecordedStream.UsageChunk(10, repeats * 200, 0)) + RecordedStream.Event("[DONE]");
            server.Enqueue(ServerBehavior.RawStream(RawSegment.Text(head), RawSegment.Repeat(block, 200), RawSegment.Text(tail)), WarmUps);
            server.Enqueue(ServerBehavior.RawStream(RawSegment.Text(head), RawSegment.Repeat(block, repeats), RawSegment.Text(tail)));

            return ((long)repeats * blockBytes, repeats * 200L);
        }

        private static string CreateFile(string path, long length)
        {
            var block = new byte[MB];
            new Random(5).NextBytes(block);
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                for (long written = 0; written < length; written += block.Length)
                {
                    file.Write(block, 0, (int)Math.Min(block.Length, length - written));
                }
            }

            return path;
        }

        private static void Check(bool condition, string what)
        {
            if (!condition)
            {
                throw new InvalidOperationException("Memory scenario: " + what + ".");
            }
        }

        private static Task<ChildResult> RunChildAsync(string scenario, string path, Uri baseUri, string files) =>
            PeakMemory.RunChildAsync<ChildResult>(scenario + "/" + path, ChildSwitch, scenario, path, baseUri.ToString(), files);

        private static ResultTable Table(List<(string Scenario, string Path, ChildResult Result)> results, long streamBytes, long uploadBytes)
        {
            var table = new ResultTable(
                "3. Memory: peak growth of the process (each run in a fresh child process, after a warm-up)",
                "Scenario", "Path", "Peak RSS growth", "Peak GC heap growth", "Time", "Throughput");
            foreach ((string scenario, string path, ChildResult result) in results)
            {
                long size = scenario == "stream" ? streamBytes : uploadBytes;
                table.Add(
                    scenario == "stream"
                        ? Format.Mb(streamBytes) + " streamed response" + (path == "raw" ? string.Empty : ", " + Format.Int(result.Records) + " records")
                        : Format.Mb(uploadBytes) + " file upload",
                    Label(scenario, path),
                    Format.Mb(result.PeakRss - result.RssBefore),
                    Format.Mb(result.PeakHeap - result.HeapBefore),
                    Format.Number(result.Seconds, "0.00") + " s",
                    Format.Number(size / MB / result.Seconds, "0") + " MB/s");
            }

            table.Note("Time and throughput are for a process that has run its path only on the small warm-ups: not a target here (scenario 1 measures decoding speed, and a real stream arrives at the model's pace).");
            foreach (string scenario in new[] { "stream", "upload" })
            {
                ChildResult ours = results.Single(r => r.Scenario == scenario && r.Path == "qwenps").Result;
                ChildResult raw = results.Single(r => r.Scenario == scenario && r.Path == "raw").Result;
                double growth = (ours.PeakRss - ours.RssBefore) / (double)MB;
                table.Target(
                    (scenario == "stream" ? "streamed response" : "upload") + ": peak memory growth under 32 MB",
                    growth < TargetMb,
                    "QwenPS " + Format.Number(growth, "0.0") + " MB RSS, " + Format.Mb(ours.PeakHeap - ours.HeapBefore) + " GC heap; raw HttpClient " + Format.Mb(raw.PeakRss - raw.RssBefore) + " RSS");
            }

            return table;
        }

        private static string Label(string scenario, string path) => (scenario, path) switch
        {
            ("stream", "raw") => "Raw HttpClient, body copied to Stream.Null (baseline)",
            ("stream", _) => "QwenPS ChatApi.ChatAsync, records counted and dropped, aggregated response built",
            ("upload", "raw") => "Raw HttpClient, MultipartFormDataContent + StreamContent(FileStream) (baseline)",
            _ => "QwenPS FilesApi.UploadFileAsync (progress on)",
        };

        /// <summary>In the child: warm up, reset the peak marks, run the big case, print one JSON line.</summary>
        public static async Task<int> RunChildAsync(string[] args)
        {
            string scenario = args[0];
            string path = args[1];
            var baseUri = new Uri(args[2]);
            string[] files = args[3].Split('|');
            using HttpClient http = path == "raw" ? new HttpClient() : QwenCalls.CreateHttpClient();
            Func<int, Task<(long Bytes, long Records)>> run = scenario == "stream"
                ? _ => StreamAsync(http, baseUri, path)
                : round => UploadAsync(http, baseUri, path, files[round]);

            // Warm up until the hot methods are re-jitted at tier 1 (the runtime does that in the background).
            for (int i = 0; i < WarmUps; i++)
            {
                await run(0).ConfigureAwait(false);
                Thread.Sleep(200);
            }

            long bytes = 0, records = 0;
            PeakMemory.Peak peak = await PeakMemory.MeasureAsync(async () => (bytes, records) = await run(1).ConfigureAwait(false)).ConfigureAwait(false);
            var result = new ChildResult(peak.RssBefore, peak.PeakRss, peak.HeapBefore, peak.PeakHeap, bytes, records, peak.Seconds);
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        }

        private static async Task<(long, long)> StreamAsync(HttpClient http, Uri baseUri, string path)
        {
            if (path == "raw")
            {
                using HttpRequestMessage request = QwenCalls.RawChat(baseUri, QwenCalls.Body(QwenCalls.Request("Hi", stream: true)));
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                using var counter = new CountingStream();
                await response.Content.CopyToAsync(counter).ConfigureAwait(false);
                return (counter.Length, 0);
            }

            long records = 0;
            await QwenCalls.ChatAsync(http, baseUri, QwenCalls.Request("Hi", stream: true), _ => records++).ConfigureAwait(false);
            return (0, records);
        }

        private static async Task<(long, long)> UploadAsync(HttpClient http, Uri baseUri, string path, string file)
        {
            long length = new FileInfo(file).Length;
            if (path == "raw")
            {
                using var form = new MultipartFormDataContent();
                form.Add(new StringContent("file-extract"), "purpose");
                var content = new StreamContent(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true), 81920);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(content, "file", Path.GetFileName(file));
                using HttpResponseMessage response = await http.PostAsync(baseUri + "/files", form).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                return (length, 0);
            }

            QwenFileInfo info = await new FilesApi(QwenCalls.Client(http, baseUri, NullOutput.Instance).Transport).UploadFileAsync(file, FilePurposes.FileExtract, CancellationToken.None).ConfigureAwait(false);
            return (info.Bytes, 0);
        }

        /// <summary>Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so the peak is this run's alone.</summary>
        internal static void ResetPeakRss() => File.WriteAllText("/proc/self/clear_refs", "5");

        internal static long Rss(string field)
        {
            string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return long.Parse(line.Substring(field.Length + 1).Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }

        internal sealed record ChildResult(long RssBefore, long PeakRss, long HeapBefore, long PeakHeap, long Bytes, long Records, double Seconds);

        /// <summary>Stream.Null that counts what it is given.</summary>
        private sealed class CountingStream : Stream
        {
            private long _length;

            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => _length;

            public override long Position
            {
                get => _length;
                set => throw new NotSupportedException();
            }

            public override void Write(byte[] buffer, int offset, int count) => _length += count;

            public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                _length += buffer.Length;
                return default;
            }

            public override void Flush()
            {
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }
}
