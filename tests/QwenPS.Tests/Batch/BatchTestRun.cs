using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Batch;
using QwenPS.Chat;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Batch
{
    /// <summary>A batch test's folder (request files, results, the mapping folder) and the steps its tests share: options,
    /// start (the ds_name "nightly"), start and wait, receive.</summary>
    internal sealed class BatchTestRun : IDisposable
    {
        private readonly TempFolder _folder;

        public BatchTestRun(string prefix) => _folder = new TempFolder(prefix);

        public string Folder => _folder.Path;

        public string Mappings => Path.Combine(_folder.Path, "batches");

        public void Dispose() => _folder.Dispose();

        /// <summary>The options Start-QwenBatch builds by default: enable_thinking false for chat.</summary>
        public BatchBuildOptions Options(string model = "qwen-plus", QwenBatchEndpoint endpoint = QwenBatchEndpoint.ChatCompletions)
        {
            var options = new BatchBuildOptions(model, endpoint) { MappingFolder = Mappings, TempFolder = _folder.Path };
            if (endpoint == QwenBatchEndpoint.ChatCompletions)
            {
                options.Fields.Add(new KeyValuePair<ChatField, object>(ChatFields.EnableThinking, false));
            }

            return options;
        }

        public async Task<QwenBatch> StartAsync(TestClient test, BatchBuildOptions options, params string[] prompts)
        {
            using (var builder = new BatchInputBuilder(options))
            {
                foreach (string prompt in prompts)
                {
                    builder.Add(BatchInput.FromText(prompt, null, prompt));
                }

                builder.Complete();
                return await BatchOperations.StartAsync(test.Client, builder, options, "24h", new Dictionary<string, string> { ["ds_name"] = "nightly" }, CancellationToken.None);
            }
        }

        /// <summary>Starts the batch and polls it (without pauses) until it has finished.</summary>
        public async Task<QwenBatch> RunAsync(TestClient test, BatchBuildOptions options, params string[] prompts)
        {
            QwenBatch started = await StartAsync(test, options, prompts);
            return await BatchOperations.WaitAsync(test.Client, started.Id, TimeSpan.Zero, Mappings, CancellationToken.None);
        }

        /// <summary>Downloads and reads the results as Receive-QwenBatch does, with the batch's mapping file.</summary>
        public async Task<List<QwenBatchResult>> ReceiveAsync(TestClient test, QwenBatch batch, bool inInputOrder = true, BatchReceiveOptions? options = null)
        {
            BatchMapping? mapping = BatchMapping.TryOpen(batch.MappingPath!, CancellationToken.None);
            using (BatchResultSet set = await BatchOperations.ReceiveAsync(test.Client, batch, _folder.Path, mapping, null, options ?? new BatchReceiveOptions(), CancellationToken.None))
            {
                return set.Read(inInputOrder, CancellationToken.None).ToList();
            }
        }
    }
}
