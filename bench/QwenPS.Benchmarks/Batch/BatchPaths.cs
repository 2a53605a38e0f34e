using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using QwenPS.Batch;

namespace QwenPS.Benchmarks.Batch
{
    /// <summary>The engine paths scenario 5 measures, and its synthetic inputs and result files.</summary>
    internal static class BatchPaths
    {
        private const string Filler = " The printer on the third floor shows error E-17 again after the update; "
            + "restarting it helps for an hour. 打印机更新后又报错。Please advise whether we should roll back the driver or wait for a fix.";

        public static string Ticket(int i) => "Ticket " + i.ToString(CultureInfo.InvariantCulture) + ":" + Filler;

        /// <summary>Builds an input file of <paramref name="count"/> chat requests and its mapping file; returns (bytes, lines).</summary>
        public static (long Bytes, long Records) Build(string file, string folder, int count)
        {
            long bytes;
            int lines;
            using (var mapping = new BatchMappingWriter(folder, "qwen-plus", BatchEndpoints.ChatCompletions))
            using (var writer = new BatchJsonlWriter(new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024), BatchEndpoints.ChatCompletions, BatchLimits.Standard))
            {
                for (int i = 0; i < count; i++)
                {
                    string id = "T-" + i.ToString(CultureInfo.InvariantCulture);
                    string text = Ticket(i);
                    writer.EnsureFits(text, id, null);
                    writer.Add(id, "qwen-plus", json =>
                    {
                        json.WriteStartObject();
                        json.WriteString("model", "qwen-plus");
                        json.WritePropertyName("messages");
                        json.WriteStartArray();
                        json.WriteStartObject();
                        json.WriteString("role", "system");
                        json.WriteString("content", "Classify the ticket as bug, question or request.");
                        json.WriteEndObject();
                        json.WriteStartObject();
                        json.WriteString("role", "user");
                        json.WriteString("content", text);
                        json.WriteEndObject();
                        json.WriteEndArray();
                        json.WriteBoolean("enable_thinking", false);
                        json.WriteEndObject();
                    }, text);
                    mapping.Add(i, id, text);
                }

                writer.Flush();
                bytes = writer.Bytes;
                lines = writer.LineCount;
            }

            File.Delete(file);
            return (bytes, lines);
        }

        /// <summary>Parses a result file line by line; returns (bytes, results).</summary>
        public static (long Bytes, long Records) Parse(string path)
        {
            long results = 0;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024))
            {
                foreach (BatchResultLine line in BatchResultReader.Read(file, CancellationToken.None))
                {
                    if (line.CustomId != null)
                    {
                        results++;
                    }
                }

                return (file.Length, results);
            }
        }

        /// <summary>A result file in the service's shape (docs/dashscope-notes.md): every tenth line an error line.</summary>
        public static void WriteResultFile(string path, int count)
        {
            using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 64 * 1024);
            for (int i = 0; i < count; i++)
            {
                string id = "T-" + i.ToString(CultureInfo.InvariantCulture);
                string request = "0b9c" + i.ToString("x8", CultureInfo.InvariantCulture);
                if (i % 10 == 9)
                {
                    writer.Write("{\"id\":\"" + request + "\",\"custom_id\":\"" + id + "\",\"response\":null,\"error\":{\"code\":\"data_inspection_failed\",\"message\":\"Input data may contain inappropriate content.\"}}\n");
                    continue;
                }

                writer.Write("{\"id\":\"" + request + "\",\"custom_id\":\"" + id + "\",\"response\":{\"status_code\":200,\"request_id\":\"" + request
                    + "\",\"body\":{\"id\":\"chatcmpl-" + request + "\",\"object\":\"chat.completion\",\"created\":1768306034,\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"bug: the printer driver update broke error handling; 建议回滚驱动。\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":96,\"completion_tokens\":21,\"total_tokens\":117}}},\"error\":null}\n");
            }
        }
    }
}
