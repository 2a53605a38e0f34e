using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using QwenPS.Batch;
using QwenPS.Chat;

namespace QwenPS.Benchmarks.Batch
{
    /// <summary>The engine paths scenario 5 measures (what Start-QwenBatch and Receive-QwenBatch run), and its synthetic files.</summary>
    internal static class BatchPaths
    {
        private const string Filler = " The printer on the third floor shows error E-17 again after the update; "
            + "restarting it helps for an hour. 打印机更新后又报错。Please advise whether we should roll back the driver or wait for a fix.";

        public static string Ticket(int i) => "Ticket " + i.ToString(CultureInfo.InvariantCulture) + ":" + Filler;

        /// <summary>Start-QwenBatch's builder: <paramref name="count"/> prompts with a system prompt, into the request and mapping files.</summary>
        public static (long Bytes, long Records) Build(string file, string folder, int count)
        {
            var options = new BatchBuildOptions("qwen-plus", QwenBatchEndpoint.ChatCompletions)
            {
                SystemPrompt = "Classify the ticket as bug, question or request.",
                MappingFolder = Path.Combine(folder, "batches"),
                TempFolder = folder,
            };
            options.Fields.Add(new KeyValuePair<ChatField, object>(ChatFields.EnableThinking, false));
            using var builder = new BatchInputBuilder(options);
            for (int i = 0; i < count; i++)
            {
                builder.Add(BatchInput.FromText(Ticket(i), "T-" + i.ToString(CultureInfo.InvariantCulture), null));
            }

            builder.Complete();
            return (builder.Bytes, builder.Count);
        }

        /// <summary>Receive-QwenBatch's reader: every line parsed and converted into a QwenBatchResult, in service order, each
        /// priced at the Beijing batch price and counted once in a usage book, as Receive-QwenBatch does.</summary>
        public static (long Bytes, long Records) Parse(string path)
        {
            long results = 0;
            var batch = new QwenBatch("batch_bench", QwenBatchStatus.Completed, "completed");
            var files = new[] { new KeyValuePair<string, string>("file-batch_output-bench", path) };
            long bytes = new FileInfo(path).Length;
            var receive = new BatchReceiveOptions { Region = QwenRegion.Beijing, Scope = new object() };
            using (var set = new BatchResultSet(batch, files, null, null, receive, deleteFiles: false))
            {
                foreach (QwenBatchResult result in set.Read(inInputOrder: false, CancellationToken.None))
                {
                    if (result.CustomId.Length > 0)
                    {
                        results++;
                    }
                }
            }

            return (bytes, results);
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
