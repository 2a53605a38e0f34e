using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Benchmarks.Memory;
using QwenPS.Benchmarks.Report;
using QwenPS.Chat;
using QwenPS.TestServer;

namespace QwenPS.Benchmarks.Omni
{
    /// <summary>
    /// Scenario "omni": a spoken Qwen-Omni answer of a few minutes and of thirty minutes (test server tone: base64 PCM,
    /// 48,000 bytes a second), written to a WAV file. Baseline: what the service's samples do (collect every
    /// delta.audio.data, decode once, write the file). QwenPS: Invoke-QwenChat's path with -AudioPath and -Stream
    /// (records counted and dropped). Peak memory growth per run, each in a fresh child process after warm-ups.
    /// </summary>
    internal static class AudioAnswerScenario
    {
        public const string ChildSwitch = "--omni-child";
        private const long MB = 1024 * 1024;
        private const int WarmUps = 3;
        private const double FlatMb = 16;

        public static async Task<ResultTable> RunAsync(bool quick)
        {
            int[] minutes = quick ? new[] { 1, 5 } : new[] { 3, 30 };
            await using DashScopeTestServer server = await DashScopeTestServer.StartAsync().ConfigureAwait(false);
            string directory = Path.Combine(Path.GetTempPath(), "qwenps-bench-omni-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            try
            {
                var results = new List<(string Path, int Minutes, Child Result)>();
                foreach (string path in new[] { "sample", "qwenps" })
                {
                    foreach (int length in minutes)
                    {
                        server.Enqueue(OmniBehaviors.Audio(new AudioReply { Seconds = 2 }), WarmUps);
                        server.Enqueue(OmniBehaviors.Audio(new AudioReply { Seconds = length * 60 }));
                        string wav = Path.Combine(directory, path + "-" + length + ".wav");
                        Child result = await RunChildAsync(path, server.BaseUri, wav).ConfigureAwait(false);
                        Verify(wav, length * 60L * AudioReply.SampleRate);
                        File.Delete(wav);
                        results.Add((path, length, result));
                    }
                }

                return Table(results, minutes);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        /// <summary>The file is a WAV of exactly the samples sent, and they are the tone.</summary>
        private static void Verify(string wav, long samples)
        {
            using var file = new FileStream(wav, FileMode.Open, FileAccess.Read);
            var header = new byte[44];
            file.ReadExactly(header);
            uint dataSize = BitConverter.ToUInt32(header, 40);
            if (file.Length != 44 + (samples * 2) || dataSize != samples * 2)
            {
                throw new InvalidOperationException("Omni scenario: " + wav + " holds " + dataSize + " bytes of PCM for " + (samples * 2) + ".");
            }

            var two = new byte[2];
            foreach (long k in new[] { 0, 1, samples / 2, samples - 1 })
            {
                file.Position = 44 + (k * 2);
                file.ReadExactly(two);
                if (BitConverter.ToInt16(two) != AudioReply.Sample(k))
                {
                    throw new InvalidOperationException("Omni scenario: sample " + k + " of " + wav + " is not the tone.");
                }
            }
        }

        private static async Task<Child> RunChildAsync(string path, Uri baseUri, string wav)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string argument in new[] { typeof(AudioAnswerScenario).Assembly.Location, ChildSwitch, path, baseUri.ToString(), wav })
            {
                start.ArgumentList.Add(argument);
            }

            using Process child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
            string output = await child.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await child.WaitForExitAsync().ConfigureAwait(false);
            string? line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
            if (child.ExitCode != 0 || line == null)
            {
                throw new InvalidOperationException("The omni/" + path + " child failed (exit " + child.ExitCode + "): " + output);
            }

            return JsonSerializer.Deserialize<Child>(line)!;
        }

        private static ResultTable Table(List<(string Path, int Minutes, Child Result)> results, int[] minutes)
        {
            var table = new ResultTable(
                "Omni. A spoken answer written to a WAV file: peak memory growth (each run in a fresh child process, after a warm-up)",
                "Path", "Answer", "PCM", "Peak RSS growth", "Peak GC heap growth", "Time");
            foreach ((string path, int length, Child result) in results)
            {
                table.Add(
                    path == "sample" ? "The service's sample: every delta.audio.data in a StringBuilder, decoded once, then written" : "QwenPS: ChatOperation with -AudioPath and -Stream (QwenAudioChunk records counted, dropped)",
                    length + " min",
                    Format.Mb(length * 60.0 * AudioReply.SampleRate * 2),
                    Format.Mb(result.PeakRss - result.RssBefore),
                    Format.Mb(result.PeakHeap - result.HeapBefore),
                    Format.Number(result.Seconds, "0.00") + " s");
            }

            double Growth(int length) => results.Single(r => r.Path == "qwenps" && r.Minutes == length).Result is Child c ? (c.PeakRss - c.RssBefore) / (double)MB : 0;
            double shorter = Growth(minutes[0]);
            double longer = Growth(minutes[1]);
            table.Target(
                "flat memory: the " + minutes[1] + "-minute answer grows the process by at most " + FlatMb + " MB more than the " + minutes[0] + "-minute one",
                longer - shorter <= FlatMb,
                "QwenPS " + Format.Number(shorter, "0.0") + " MB and " + Format.Number(longer, "0.0") + " MB RSS growth");
            table.Note("Every file is checked after its run: the header's size is the samples sent, and samples at the start, middle and end are the tone.");
            table.Note("Times include the test server generating the tone in the parent process on the same two shared cores; they are not a target.");
            return table;
        }

        /// <summary>In the child: warm up on short answers, reset the peak marks, then the long one; prints one JSON line.</summary>
        public static async Task<int> RunChildAsync(string[] args)
        {
            string path = args[0];
            var baseUri = new Uri(args[1]);
            string wav = args[2];
            using HttpClient http = QwenCalls.CreateHttpClient();
            Func<Task<long>> run = path == "sample" ? () => SampleAsync(http, baseUri, wav) : () => QwenPSAsync(http, baseUri, wav);
            for (int i = 0; i < WarmUps; i++)
            {
                await run().ConfigureAwait(false);
                Thread.Sleep(200);
            }

            long bytes = 0;
            PeakMemory.Peak peak = await PeakMemory.MeasureAsync(async () => bytes = await run().ConfigureAwait(false)).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(new Child(peak.RssBefore, peak.PeakRss, peak.HeapBefore, peak.PeakHeap, bytes, peak.Seconds)));
            return 0;
        }

        private static ChatRequest Request(string? audioPath)
        {
            var request = new ChatRequest("qwen3-omni-flash", new[] { new QwenMessage(QwenRole.User, "Read me a story.") }) { Stream = true, AudioPath = audioPath };
            request[ChatFields.Modality] = new[] { "text", "audio" };
            request[ChatFields.Audio] = "Cherry";
            return request;
        }

        private static async Task<long> QwenPSAsync(HttpClient http, Uri baseUri, string wav)
        {
            long records = 0;
            var run = new ChatRun { Stream = true };
            var output = new NullOutput(_ => records++);
            ChatRequest request = ChatOperation.PrepareRequest(run, Request(wav), _ => { });
            QwenChatResponse response = await ChatOperation.RunAsync(QwenCalls.Client(http, baseUri, output), request, run, output, CancellationToken.None).ConfigureAwait(false);
            return (long)(response.AudioDuration!.Value.TotalSeconds * AudioReply.SampleRate * 2);
        }

        /// <summary>The official samples' way: read every chunk, join the base64, decode once, write header and data.</summary>
        private static async Task<long> SampleAsync(HttpClient http, Uri baseUri, string wav)
        {
            using HttpRequestMessage request = QwenCalls.RawChat(baseUri, QwenCalls.Body(Request(null)));
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false), Encoding.UTF8);
            var audio = new StringBuilder();
            string? line;
            while ((line = await reader.ReadLineAsync().ConfigureAwait(false)) != null)
            {
                if (!line.StartsWith("data: {", StringComparison.Ordinal))
                {
                    continue;
                }

                using JsonDocument chunk = JsonDocument.Parse(line.AsMemory(6));
                if (chunk.RootElement.TryGetProperty("choices", out JsonElement choices) && choices.GetArrayLength() > 0
                    && choices[0].TryGetProperty("delta", out JsonElement delta) && delta.TryGetProperty("audio", out JsonElement part)
                    && part.TryGetProperty("data", out JsonElement data))
                {
                    audio.Append(data.GetString());
                }
            }

            byte[] pcm = Convert.FromBase64String(audio.ToString());
            using var file = new FileStream(wav, FileMode.Create, FileAccess.Write);
            var header = new byte[44];
            Encoding.ASCII.GetBytes("RIFF").CopyTo(header, 0);
            BitConverter.GetBytes(36 + pcm.Length).CopyTo(header, 4);
            Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(header, 8);
            BitConverter.GetBytes(16).CopyTo(header, 16);
            BitConverter.GetBytes((short)1).CopyTo(header, 20);
            BitConverter.GetBytes((short)1).CopyTo(header, 22);
            BitConverter.GetBytes(AudioReply.SampleRate).CopyTo(header, 24);
            BitConverter.GetBytes(AudioReply.SampleRate * 2).CopyTo(header, 28);
            BitConverter.GetBytes((short)2).CopyTo(header, 32);
            BitConverter.GetBytes((short)16).CopyTo(header, 34);
            Encoding.ASCII.GetBytes("data").CopyTo(header, 36);
            BitConverter.GetBytes(pcm.Length).CopyTo(header, 40);
            file.Write(header);
            file.Write(pcm);
            return pcm.Length;
        }

        internal sealed record Child(long RssBefore, long PeakRss, long HeapBefore, long PeakHeap, long Bytes, double Seconds);
    }
}
