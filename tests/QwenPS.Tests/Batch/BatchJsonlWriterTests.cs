using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using QwenPS.Batch;
using Xunit;

namespace QwenPS.Tests.Batch
{
    public sealed class BatchJsonlWriterTests
    {
        private static Action<Utf8JsonWriter> Body(string model, string text) => json =>
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteBoolean("enable_thinking", false);
            json.WritePropertyName("messages");
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteString("content", text);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        };

        private static string[] Lines(MemoryStream stream) =>
            Encoding.UTF8.GetString(stream.ToArray()).Split('\n');

        [Fact]
        public void Writes_one_compact_line_per_request_with_the_exact_shape_and_raw_utf8()
        {
            var stream = new MemoryStream();
            var writer = new BatchJsonlWriter(stream, BatchEndpoints.ChatCompletions, BatchLimits.Standard);
            writer.Add("r-001", "qwen-plus", Body("qwen-plus", "Summarise: 年度报告 \"quoted\""), null);
            writer.Add("r-002", "qwen-plus", Body("qwen-plus", "Translate: hi"), null);

            string[] lines = Lines(stream);
            Assert.Equal(3, lines.Length);
            Assert.Equal(string.Empty, lines[2]);
            Assert.Equal(
                "{\"custom_id\":\"r-001\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"qwen-plus\",\"enable_thinking\":false,\"messages\":[{\"role\":\"user\",\"content\":\"Summarise: 年度报告 \\\"quoted\\\"\"}]}}",
                lines[0]);
            Assert.Equal(2, writer.LineCount);
            Assert.Equal(stream.Length, writer.Bytes);
            Assert.Equal("qwen-plus", writer.Model);
            Assert.NotEqual(0xEF, stream.ToArray()[0]);
        }

        [Fact]
        public void A_duplicate_custom_id_is_refused_and_nothing_of_it_is_written()
        {
            var stream = new MemoryStream();
            var writer = new BatchJsonlWriter(stream, BatchEndpoints.ChatCompletions, BatchLimits.Standard);
            writer.Add("same", "qwen-plus", Body("qwen-plus", "a"), "first");
            long before = stream.Length;

            QwenException error = Assert.Throws<QwenException>(() => writer.Add("same", "qwen-plus", Body("qwen-plus", "b"), "second"));

            Assert.Equal(QwenErrorIds.BatchDuplicateCustomId, error.ErrorId);
            Assert.Equal("second", error.Target);
            Assert.Contains("'same'", error.Message);
            Assert.Equal(before, stream.Length);
        }

        [Fact]
        public void A_second_model_is_refused()
        {
            var writer = new BatchJsonlWriter(new MemoryStream(), BatchEndpoints.ChatCompletions, BatchLimits.Standard);
            writer.Add("a", "qwen-plus", Body("qwen-plus", "a"), null);

            QwenException error = Assert.Throws<QwenException>(() => writer.Add("b", "qwen-max", Body("qwen-max", "b"), null));

            Assert.Equal(QwenErrorIds.BatchModelMismatch, error.ErrorId);
            Assert.Contains("one model per batch file", error.Message);
        }

        [Fact]
        public void The_line_count_limit_refuses_the_first_request_past_it()
        {
            var writer = new BatchJsonlWriter(new MemoryStream(), BatchEndpoints.ChatCompletions, new BatchLimits(3, 1024, 1024 * 1024));
            for (int i = 0; i < 3; i++)
            {
                writer.Add("r" + i, "m", Body("m", "t"), null);
            }

            QwenException error = Assert.Throws<QwenException>(() => writer.Add("r3", "m", Body("m", "t"), null));

            Assert.Equal(QwenErrorIds.BatchLimitExceeded, error.ErrorId);
            Assert.Equal(QwenErrorCategory.LimitsExceeded, error.Category);
            Assert.Contains("at most 3 requests", error.Message);
            Assert.Equal(3, writer.LineCount);
        }

        [Fact]
        public void The_standard_limits_are_DashScopes_and_the_test_model_has_its_own()
        {
            Assert.Equal((50000, 6L * 1024 * 1024, 500L * 1024 * 1024), (BatchLimits.Standard.MaxLines, BatchLimits.Standard.MaxLineBytes, BatchLimits.Standard.MaxFileBytes));
            Assert.Same(BatchLimits.TestModelLimits, BatchLimits.For("batch-test-model"));
            Assert.Equal((100, 1024L * 1024), (BatchLimits.TestModelLimits.MaxLines, BatchLimits.TestModelLimits.MaxFileBytes));
            Assert.Same(BatchLimits.Standard, BatchLimits.For("qwen-plus"));
            Assert.Equal(BatchEndpoints.Test, BatchEndpoints.For(QwenBatchEndpoint.ChatCompletions, "batch-test-model"));
            Assert.Equal(BatchEndpoints.Embeddings, BatchEndpoints.For(QwenBatchEndpoint.Embeddings, "text-embedding-v4"));
        }

        [Fact]
        public void The_line_limit_is_the_line_without_its_line_feed_and_a_refused_line_frees_its_id()
        {
            var probe = new MemoryStream();
            new BatchJsonlWriter(probe, BatchEndpoints.ChatCompletions, BatchLimits.Standard).Add("x", "m", Body("m", new string('a', 900)), null);
            long lineBytes = probe.Length - 1;

            var exact = new MemoryStream();
            new BatchJsonlWriter(exact, BatchEndpoints.ChatCompletions, new BatchLimits(10, lineBytes, 1024 * 1024)).Add("x", "m", Body("m", new string('a', 900)), null);
            Assert.Equal(lineBytes + 1, exact.Length);

            var stream = new MemoryStream();
            var tight = new BatchJsonlWriter(stream, BatchEndpoints.ChatCompletions, new BatchLimits(10, lineBytes - 1, 1024 * 1024));
            QwenException error = Assert.Throws<QwenException>(() => tight.Add("x", "m", Body("m", new string('a', 900)), "input"));
            Assert.Equal(QwenErrorIds.BatchLimitExceeded, error.ErrorId);
            Assert.Equal("input", error.Target);
            Assert.Equal(0, stream.Length);
            tight.Add("x", "m", Body("m", "short"), null);
            Assert.Equal(1, tight.LineCount);
        }

        [Fact]
        public void A_huge_text_is_refused_before_it_is_serialised_and_the_buffer_stays_bounded()
        {
            var limits = new BatchLimits(10, 64 * 1024, 10 * 1024 * 1024);
            var writer = new BatchJsonlWriter(new MemoryStream(), BatchEndpoints.ChatCompletions, limits);
            string huge = new string('字', 40 * 1024); // 40 K chars, 120 KB of UTF-8

            QwenException early = Assert.Throws<QwenException>(() => writer.EnsureFits(huge, "doc", "doc.txt"));
            Assert.Equal(QwenErrorIds.BatchLimitExceeded, early.ErrorId);
            writer.EnsureFits(new string('字', 20 * 1024), "ok", null);

            // Passed to the writer anyway, the line is refused by the capped buffer.
            QwenException late = Assert.Throws<QwenException>(() => writer.Add("doc", "m", Body("m", huge), "doc.txt"));
            Assert.Equal(QwenErrorIds.BatchLimitExceeded, late.ErrorId);
            Assert.Equal(0, writer.LineCount);
        }

        [Fact]
        public void The_file_size_limit_counts_line_feeds()
        {
            var probe = new MemoryStream();
            new BatchJsonlWriter(probe, BatchEndpoints.ChatCompletions, BatchLimits.Standard).Add("r0", "m", Body("m", "t"), null);
            long line = probe.Length;
            var writer = new BatchJsonlWriter(new MemoryStream(), BatchEndpoints.ChatCompletions, new BatchLimits(100, 1024, (line * 2) + 1));
            writer.Add("r0", "m", Body("m", "t"), null);
            writer.Add("r1", "m", Body("m", "t"), null);

            QwenException error = Assert.Throws<QwenException>(() => writer.Add("r2", "m", Body("m", "t"), null));

            Assert.Equal(QwenErrorIds.BatchLimitExceeded, error.ErrorId);
            Assert.Contains("would exceed", error.Message);
            Assert.Equal(line * 2, writer.Bytes);
        }

        [Fact]
        public void Lines_parse_back_as_JSON_with_the_same_custom_ids()
        {
            var stream = new MemoryStream();
            var writer = new BatchJsonlWriter(stream, BatchEndpoints.Embeddings, BatchLimits.Standard);
            foreach (int i in Enumerable.Range(0, 50))
            {
                writer.Add("e" + i, "text-embedding-v4", json => { json.WriteStartObject(); json.WriteString("model", "text-embedding-v4"); json.WriteString("input", "line\n" + i); json.WriteEndObject(); }, null);
            }

            string[] ids = Lines(stream).Where(l => l.Length > 0)
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Select(e => e.GetProperty("url").GetString() + "|" + e.GetProperty("custom_id").GetString())
                .ToArray();
            Assert.Equal(Enumerable.Range(0, 50).Select(i => "/v1/embeddings|e" + i), ids);
        }
    }
}
