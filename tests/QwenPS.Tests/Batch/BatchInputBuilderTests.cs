using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using QwenPS.Batch;
using QwenPS.Chat;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Batch
{
    public sealed class BatchInputBuilderTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder("batch-build");

        public void Dispose() => _folder.Dispose();

        private BatchBuildOptions Options(string model = "qwen-plus", QwenBatchEndpoint endpoint = QwenBatchEndpoint.ChatCompletions) =>
            new BatchBuildOptions(model, endpoint) { MappingFolder = Path.Combine(_folder.Path, "batches"), TempFolder = _folder.Path };

        private static JsonElement[] Lines(BatchInputBuilder builder) =>
            File.ReadAllText(builder.RequestFile, Encoding.UTF8).TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToArray();

        [Fact]
        public void Every_kind_of_input_becomes_one_line_with_the_batch_fields_and_generated_ids_where_none_is_given()
        {
            BatchBuildOptions options = Options();
            options.SystemPrompt = "Classify.";
            options.Fields.Add(new KeyValuePair<ChatField, object>(ChatFields.EnableThinking, false));
            options.Fields.Add(new KeyValuePair<ChatField, object>(ChatFields.Temperature, 0.2));
            options.AdditionalParameters = new Dictionary<string, object?> { ["response_format"] = new Dictionary<string, object?> { ["type"] = "json_object" } };
            string document = _folder.Write("report.txt", "第一份报告");
            File.WriteAllText(document, "第一份报告", new UTF8Encoding(true));
            using var builder = new BatchInputBuilder(options);

            builder.Add(BatchInput.FromText("ticket one", "T-1", null));
            builder.Add(BatchInput.FromDocument(document, null, null));
            builder.Add(BatchInput.FromMessages(new[] { new QwenMessage(QwenRole.User, "Hi"), new QwenMessage(QwenRole.Assistant, "Hello"), new QwenMessage(QwenRole.User, "Bye") }, "conv", null));
            builder.Add(BatchInput.FromBody(new Dictionary<string, object?> { ["messages"] = new List<object?> { new Dictionary<string, object?> { ["role"] = "user", ["content"] = "raw" } }, ["top_p"] = 0.5 }, null, null));
            builder.Complete();

            JsonElement[] lines = Lines(builder);
            Assert.Equal(new[] { "T-1", "qwenps-2", "conv", "qwenps-4" }, lines.Select(l => l.GetProperty("custom_id").GetString()));
            JsonElement first = lines[0].GetProperty("body");
            Assert.Equal("{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"system\",\"content\":\"Classify.\"},{\"role\":\"user\",\"content\":\"ticket one\"}],\"enable_thinking\":false,\"temperature\":0.2,\"response_format\":{\"type\":\"json_object\"}}", first.GetRawText());
            Assert.Equal("第一份报告", lines[1].GetProperty("body").GetProperty("messages")[1].GetProperty("content").GetString());
            Assert.Equal(3, lines[2].GetProperty("body").GetProperty("messages").GetArrayLength());
            Assert.Equal("{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"user\",\"content\":\"raw\"}],\"top_p\":0.5}", lines[3].GetProperty("body").GetRawText());
            Assert.All(lines, l => Assert.Equal("/v1/chat/completions", l.GetProperty("url").GetString()));
        }

        [Fact]
        public void The_mapping_records_positions_and_texts_and_is_named_after_the_batch_on_commit()
        {
            using var builder = new BatchInputBuilder(Options());
            builder.Add(BatchInput.FromText("alpha", "a", null));
            builder.Add(BatchInput.FromDocument(_folder.Write("d.md", "# doc"), "d", null));
            builder.Complete();
            string path = builder.Commit("batch_42");

            using BatchMapping mapping = BatchMapping.TryOpen(path, CancellationToken.None)!;
            Assert.Equal(new[] { "a", "d" }, mapping.CustomIds);
            Assert.Equal("alpha", mapping.ReadText("a"));
            Assert.Equal(_folder["d.md"], mapping.ReadText("d"));
            Assert.Equal("qwen-plus", mapping.Model);
        }

        [Fact]
        public void Disposing_without_commit_deletes_the_request_file_and_the_pending_mapping()
        {
            string requestFile;
            using (var builder = new BatchInputBuilder(Options()))
            {
                builder.Add(BatchInput.FromText("alpha", null, null));
                requestFile = builder.RequestFile;
                Assert.True(File.Exists(requestFile));
            }

            Assert.False(File.Exists(requestFile));
            Assert.Empty(Directory.GetFiles(Path.Combine(_folder.Path, "batches")));
        }

        [Fact]
        public void Embedding_inputs_are_texts_and_conversations_are_refused()
        {
            using var builder = new BatchInputBuilder(Options("text-embedding-v4", QwenBatchEndpoint.Embeddings));
            builder.Add(BatchInput.FromText("vector me", null, null));

            QwenException error = Assert.Throws<QwenException>(() => builder.Add(BatchInput.FromMessages(new[] { new QwenMessage(QwenRole.User, "x") }, null, "conversation")));

            Assert.Equal(QwenErrorIds.BatchInputInvalid, error.ErrorId);
            Assert.Equal("conversation", error.Target);
            builder.Complete();
            Assert.Equal("{\"model\":\"text-embedding-v4\",\"input\":\"vector me\"}", Lines(builder)[0].GetProperty("body").GetRawText());
            Assert.Equal("/v1/embeddings", Lines(builder)[0].GetProperty("url").GetString());
        }

        [Fact]
        public void The_test_model_uses_the_test_endpoint_and_its_own_limits()
        {
            using var builder = new BatchInputBuilder(Options("batch-test-model"));
            for (int i = 0; i < 100; i++)
            {
                builder.Add(BatchInput.FromText("p" + i, null, null));
            }

            QwenException error = Assert.Throws<QwenException>(() => builder.Add(BatchInput.FromText("p100", null, "p100")));

            Assert.Equal(QwenErrorIds.BatchLimitExceeded, error.ErrorId);
            Assert.Contains("batch-test-model", error.Message);
            builder.Complete();
            Assert.Equal("/v1/chat/ds-test", Lines(builder)[0].GetProperty("url").GetString());
        }

        [Fact]
        public void A_body_naming_another_model_an_empty_prompt_and_an_oversized_document_are_refused()
        {
            using var builder = new BatchInputBuilder(Options());

            Assert.Equal(QwenErrorIds.BatchModelMismatch, Assert.Throws<QwenException>(() => builder.Add(BatchInput.FromBody(new Dictionary<string, object?> { ["model"] = "qwen-max" }, null, null))).ErrorId);
            Assert.Equal(QwenErrorIds.BatchInputInvalid, Assert.Throws<QwenException>(() => builder.Add(BatchInput.FromText("  ", null, null))).ErrorId);
            string big = _folder.Sized("big.txt", (12L * 1024 * 1024) + 1);
            QwenException tooBig = Assert.Throws<QwenException>(() => builder.Add(BatchInput.FromDocument(big, null, big)));
            Assert.Equal(QwenErrorIds.BatchLimitExceeded, tooBig.ErrorId);
            Assert.Equal(big, tooBig.Target);
            Assert.Equal(0, builder.Count);
            Assert.Equal(QwenErrorIds.BatchInputInvalid, Assert.Throws<QwenException>(builder.Complete).ErrorId);
        }

        [Fact]
        public void A_document_is_read_as_Add_QwenDocument_reads_it_so_binary_and_extract_only_files_are_refused_with_their_input_as_target()
        {
            using var builder = new BatchInputBuilder(Options());
            var pdf = new FileInfo(_folder.Write("report.pdf", "%PDF-1.7 binary"));
            string latin1 = _folder["latin1.txt"];
            File.WriteAllBytes(latin1, new byte[] { 0x63, 0x61, 0x66, 0xE9 });
            string binary = _folder["data.txt"];
            File.WriteAllBytes(binary, new byte[] { 0x61, 0x00, 0x62 });
            string utf16 = _folder["utf16.txt"];
            File.WriteAllText(utf16, "第二份报告", new UnicodeEncoding(false, true));

            QwenException notText = Assert.Throws<QwenException>(() => builder.Add(BatchInput.FromDocument(pdf.FullName, null, pdf)));
            Assert.Equal((QwenErrorIds.DocumentNotText, (object)pdf), (notText.ErrorId, notText.Target));
            Assert.Contains("Add-QwenFileReference", notText.Message);
            Assert.Equal(QwenErrorIds.DocumentNotText, Assert.Throws<QwenException>(() => builder.Add(BatchInput.FromDocument(latin1, null, latin1))).ErrorId);
            Assert.Equal(QwenErrorIds.DocumentNotText, Assert.Throws<QwenException>(() => builder.Add(BatchInput.FromDocument(binary, null, binary))).ErrorId);
            Assert.Equal(QwenErrorIds.FileNotFound, Assert.Throws<QwenException>(() => builder.Add(BatchInput.FromDocument(_folder["gone.txt"], null, null))).ErrorId);
            Assert.Equal(0, builder.Count);

            builder.Add(BatchInput.FromDocument(utf16, null, utf16));
            builder.Complete();
            Assert.Equal("第二份报告", Lines(builder).Single().GetProperty("body").GetProperty("messages")[0].GetProperty("content").GetString());
        }
    }
}
