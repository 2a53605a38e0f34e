using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Chat;
using QwenPS.Streaming;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Unit
{
    public class SseReaderTests
    {
        private static Task<List<string>> ReadAll(byte[] bytes, int maxRead = int.MaxValue, int bufferSize = 16 * 1024, int maxEvent = SseReader.DefaultMaxEventBytes) =>
            SseEvents.ReadAllAsync(bytes, maxRead, bufferSize, maxEvent);

        private static Task<List<string>> ReadAll(string text, int maxRead = int.MaxValue) => ReadAll(Encoding.UTF8.GetBytes(text), maxRead);

        public static IEnumerable<object[]> ReadSizes => new[] { new object[] { 1 }, new object[] { 2 }, new object[] { 3 }, new object[] { 7 }, new object[] { 4096 } };

        [Theory]
        [MemberData(nameof(ReadSizes))]
        public async Task Lf_framing_yields_each_data_payload_in_order(int maxRead)
        {
            var events = await ReadAll("data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n", maxRead);
            Assert.Equal(new[] { "{\"a\":1}", "{\"b\":2}", "[DONE]" }, events);
        }

        [Theory]
        [MemberData(nameof(ReadSizes))]
        public async Task Crlf_and_lone_cr_line_endings_are_equivalent_to_lf_even_when_split_across_reads(int maxRead)
        {
            Assert.Equal(new[] { "one", "two", "three" }, await ReadAll("data: one\r\n\r\ndata: two\r\rdata: three\n\r\n", maxRead));
        }

        [Fact]
        public async Task Cr_at_the_end_of_a_read_followed_by_lf_in_the_next_read_is_one_line_end()
        {
            // "data: x\r" | "\n\r" | "\n": exactly one event, no phantom blank line dispatching twice.
            var events = await ReadAll("data: x\r\n\r\ndata: y\r\n\r\n", maxRead: 8);
            Assert.Equal(new[] { "x", "y" }, events);
        }

        [Theory]
        [MemberData(nameof(ReadSizes))]
        public async Task Utf8_bom_at_the_start_is_skipped(int maxRead)
        {
            byte[] body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("data: first\n\n")).ToArray();
            Assert.Equal(new[] { "first" }, await ReadAll(body, maxRead));
        }

        [Fact]
        public async Task Comments_other_fields_and_data_without_a_space_are_handled()
        {
            var events = await ReadAll(": keep-alive\nevent: result\nid: 7\nretry: 10\ndata:{\"x\":1}\n\n:another\n\n");
            Assert.Equal(new[] { "{\"x\":1}" }, events);
        }

        [Fact]
        public async Task Only_the_first_space_after_the_colon_is_removed()
        {
            Assert.Equal(new[] { " two spaces" }, await ReadAll("data:  two spaces\n\n"));
        }

        [Fact]
        public async Task Several_data_lines_in_one_event_join_with_lf()
        {
            Assert.Equal(new[] { "line1\nline2\n" }, await ReadAll("data: line1\ndata: line2\ndata\n\n"));
        }

        [Fact]
        public async Task Blank_lines_without_data_dispatch_nothing()
        {
            Assert.Equal(new[] { "x" }, await ReadAll("\n\n\r\n: c\n\ndata: x\n\n\n\n"));
        }

        [Theory]
        [MemberData(nameof(ReadSizes))]
        public async Task A_multibyte_character_split_across_reads_survives(int maxRead)
        {
            var events = await ReadAll("data: {\"content\":\"你好，世界😀\"}\n\n", maxRead);
            Assert.Equal("{\"content\":\"你好，世界😀\"}", Assert.Single(events));
        }

        [Fact]
        public async Task A_complete_data_line_at_eof_without_the_blank_line_is_kept()
        {
            Assert.Equal(new[] { "a", "last" }, await ReadAll("data: a\n\ndata: last\n"));
        }

        [Fact]
        public async Task An_unterminated_partial_line_at_eof_is_discarded_and_reported()
        {
            using var reader = new SseReader(new MemoryStream(Encoding.UTF8.GetBytes("data: a\n\ndata: {\"trunc")));
            Assert.True(await reader.ReadEventAsync(CancellationToken.None));
            Assert.False(await reader.ReadEventAsync(CancellationToken.None));
            Assert.True(reader.EndedMidLine);
        }

        [Fact]
        public async Task A_ten_megabyte_line_is_read_whole_with_a_small_initial_buffer()
        {
            string big = new string('x', 10 * 1024 * 1024);
            var events = await ReadAll(Encoding.UTF8.GetBytes("data: " + big + "\n\ndata: after\n\n"), maxRead: 65536, bufferSize: 1024);
            Assert.Equal(2, events.Count);
            Assert.Equal(big.Length, events[0].Length);
            Assert.Equal("after", events[1]);
        }

        [Fact]
        public async Task An_event_over_the_limit_throws_a_format_error_instead_of_growing_forever()
        {
            byte[] body = Encoding.UTF8.GetBytes("data: " + new string('x', 5000) + "\n\n");
            await Assert.ThrowsAsync<SseFormatException>(() => ReadAll(body, bufferSize: 256, maxEvent: 1024));
        }

        [Fact]
        public async Task Empty_stream_yields_no_event()
        {
            Assert.Empty(await ReadAll(string.Empty));
        }

        [Fact]
        public async Task Many_events_keep_memory_bounded_by_reusing_buffers()
        {
            var text = new StringBuilder();
            for (int i = 0; i < 5000; i++)
            {
                text.Append("data: {\"i\":").Append(i).Append("}\n\n");
            }

            var events = await ReadAll(text.ToString(), maxRead: 333);
            Assert.Equal(5000, events.Count);
            Assert.Equal("{\"i\":4999}", events[^1]);
        }
    }
}
