using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using QwenPS.Batch;
using Xunit;

namespace QwenPS.Tests.Batch
{
    public sealed class BatchResultReaderTests
    {
        // The documentation's sample output line, shortened.
        private const string Success =
            "{\"id\":\"1f0e-1\",\"custom_id\":\"r-001\",\"response\":{\"status_code\":200,\"request_id\":\"1f0e-1\",\"body\":{\"id\":\"chatcmpl-1f0e-1\",\"object\":\"chat.completion\",\"created\":1768306034,\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"好的\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":9,\"total_tokens\":29}}},\"error\":null}";

        private static BatchResultLine[] ReadAll(string text) =>
            BatchResultReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None).ToArray();

        [Fact]
        public void A_success_line_gives_its_custom_id_status_request_id_and_body()
        {
            BatchResultLine line = ReadAll(Success + "\n").Single();

            Assert.Equal("r-001", line.CustomId);
            Assert.Equal(200, line.StatusCode);
            Assert.Equal("1f0e-1", line.RequestId);
            Assert.False(line.IsError);
            Assert.Null(line.Malformed);
            Assert.Equal("好的", line.Body!.Value.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
            Assert.Equal(1, line.LineNumber);
        }

        [Theory]
        [InlineData("{\"id\":\"x\",\"custom_id\":\"r-2\",\"response\":{\"status_code\":400,\"request_id\":\"q-2\",\"body\":{\"error\":{\"code\":\"data_inspection_failed\",\"message\":\"Input data may contain inappropriate content.\"}}},\"error\":{\"code\":\"data_inspection_failed\",\"message\":\"Input data may contain inappropriate content.\"}}", "q-2", 400)]
        [InlineData("{\"id\":\"x\",\"custom_id\":\"r-2\",\"response\":null,\"error\":{\"error_code\":\"data_inspection_failed\",\"error_message\":\"Input data may contain inappropriate content.\"}}", "x", null)]
        [InlineData("{\"id\":\"x\",\"custom_id\":\"r-2\",\"response\":{\"status_code\":400,\"request_id\":\"q-2\",\"body\":{\"error\":{\"code\":\"data_inspection_failed\",\"message\":\"Input data may contain inappropriate content.\"}}},\"error\":null}", "q-2", 400)]
        public void Error_lines_are_read_in_every_documented_spelling(string text, string requestId, int? status)
        {
            BatchResultLine line = ReadAll(text).Single();

            Assert.True(line.IsError);
            Assert.Equal("r-2", line.CustomId);
            Assert.Equal("data_inspection_failed", line.ErrorCode);
            Assert.Equal("Input data may contain inappropriate content.", line.ErrorMessage);
            Assert.Equal(requestId, line.RequestId);
            Assert.Equal(status, line.StatusCode);
        }

        [Fact]
        public void A_bare_failure_status_without_an_error_object_still_fails_with_a_message()
        {
            BatchResultLine line = ReadAll("{\"custom_id\":\"r\",\"response\":{\"status_code\":500,\"body\":null},\"error\":null}").Single();

            Assert.True(line.IsError);
            Assert.Equal("The request failed with HTTP 500.", line.ErrorMessage);
        }

        [Fact]
        public void Unreadable_lines_become_malformed_results_and_reading_goes_on()
        {
            string text = Success + "\n{\"custom_id\":\"cut\",\"response\":{\"status_co\n[1,2]\n{\"id\":\"no-custom-id\"}\n" + Success.Replace("r-001", "r-009");

            BatchResultLine[] lines = ReadAll(text);

            Assert.Equal(new[] { "r-001", "cut", null, null, "r-009" }, lines.Select(l => l.CustomId));
            Assert.Equal(new[] { false, true, true, true, false }, lines.Select(l => l.Malformed != null));
            Assert.StartsWith("Line 2 is not valid JSON", lines[1].Malformed);
            Assert.Equal(5, lines[4].LineNumber);
        }

        [Fact]
        public void Crlf_blank_lines_a_bom_and_a_missing_final_feed_are_tolerated()
        {
            string text = "\uFEFF" + Success + "\r\n\r\n   \n" + Success.Replace("r-001", "r-002");

            BatchResultLine[] lines = ReadAll(text);

            Assert.Equal(new[] { "r-001", "r-002" }, lines.Select(l => l.CustomId));
            Assert.Equal(new[] { 1, 4 }, lines.Select(l => l.LineNumber));
            Assert.All(lines, l => Assert.Null(l.Malformed));
        }

        [Fact]
        public void Lines_longer_than_the_read_buffer_are_read_whole()
        {
            string big = Success.Replace("好的", new string('长', 300_000));
            BatchResultLine[] lines = ReadAll(Success + "\n" + big + "\n" + Success.Replace("r-001", "r-003") + "\n");

            Assert.Equal(3, lines.Length);
            Assert.Equal(300_000, lines[1].Body!.Value.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!.Length);
        }

        [Fact]
        public void The_index_finds_lines_again_by_offset_in_another_order()
        {
            string[] ids = { "b", "c", "a" };
            byte[] bytes = Encoding.UTF8.GetBytes(string.Join("\n", ids.Select(id => Success.Replace("r-001", id))) + "\n");
            var stream = new MemoryStream(bytes);
            var index = BatchResultReader.Index(stream, CancellationToken.None).ToDictionary(e => e.CustomId!);

            Assert.Equal(ids.OrderBy(i => i), index.Keys.OrderBy(k => k));
            var entry = index["a"];
            BatchResultLine again = BatchResultReader.ReadAt(stream, entry.Offset, entry.Length, entry.Number);
            Assert.Equal("a", again.CustomId);
            Assert.Equal(3, again.LineNumber);
        }

        [Fact]
        public void A_stop_ends_reading()
        {
            using var stop = new CancellationTokenSource();
            stop.Cancel();
            Assert.Throws<OperationCanceledException>(() => BatchResultReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Success)), stop.Token).ToArray());
        }
    }
}
