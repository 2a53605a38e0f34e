using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Streaming;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// SSE framing at its edges (docs/dashscope-notes.md, "Streaming"; docs/performance.md, "The SSE framing"): bytes that
    /// look like a BOM but are not one, an event of exactly the limit, the bytes counted, and how a framing error is returned.
    /// </summary>
    public class SseFramingEdgeTests
    {
        private static Task<List<string>> ReadAll(byte[] bytes, int maxRead = int.MaxValue, int bufferSize = 16 * 1024, int maxEvent = SseReader.DefaultMaxEventBytes) =>
            SseEvents.ReadAllAsync(bytes, maxRead, bufferSize, maxEvent);

        [Theory]
        [InlineData(0xEF, 0xBB, 0x00)]
        [InlineData(0xEF, 0x00, 0xBF)]
        [InlineData(0x00, 0xBB, 0xBF)]
        public async Task Three_bytes_that_are_not_a_bom_stay_part_of_the_first_line(byte a, byte b, byte c)
        {
            byte[] body = new[] { a, b, c }.Concat(Encoding.UTF8.GetBytes("data: x\n\ndata: y\n\n")).ToArray();
            Assert.Equal(new[] { "y" }, await ReadAll(body));
            Assert.Equal(new[] { "y" }, await ReadAll(body, maxRead: 1));
        }

        [Fact]
        public async Task A_bom_is_skipped_only_at_the_start()
        {
            byte[] bom = { 0xEF, 0xBB, 0xBF };
            byte[] body = bom.Concat(Encoding.UTF8.GetBytes("data: a\n\n")).Concat(bom).Concat(Encoding.UTF8.GetBytes("data: b\n\n")).ToArray();
            Assert.Equal(new[] { "a" }, await ReadAll(body, maxRead: 2));
        }

        [Fact]
        public async Task A_stream_shorter_than_a_bom_ends_without_an_event()
        {
            Assert.Empty(await ReadAll(new byte[] { 0xEF, 0xBB }));
            Assert.Empty(await ReadAll(new byte[] { (byte)'\n' }));
        }

        [Fact]
        public async Task An_event_of_exactly_the_limit_is_read_and_one_byte_more_is_refused()
        {
            string exact = "data: " + new string('a', 600) + "\ndata: " + new string('b', 423) + "\n\n";
            string joined = Assert.Single(await ReadAll(Encoding.ASCII.GetBytes(exact), maxRead: 100, bufferSize: 256, maxEvent: 1024));
            Assert.Equal(1024, joined.Length);

            string over = "data: " + new string('a', 600) + "\ndata: " + new string('b', 424) + "\n\n";
            var error = await Assert.ThrowsAsync<SseFormatException>(() => ReadAll(Encoding.ASCII.GetBytes(over), maxRead: 100, bufferSize: 256, maxEvent: 1024));
            Assert.Equal("A stream event is larger than 1024 bytes.", error.Message);
        }

        [Fact]
        public async Task A_line_longer_than_the_limit_is_refused_with_its_own_message()
        {
            byte[] body = Encoding.ASCII.GetBytes("data: " + new string('x', 3000) + "\n\n");
            var error = await Assert.ThrowsAsync<SseFormatException>(() => ReadAll(body, maxRead: 512, bufferSize: 256, maxEvent: 1024));
            Assert.Equal("A stream line is longer than 1024 bytes.", error.Message);
        }

        [Fact]
        public async Task A_framing_error_comes_back_in_the_task_not_as_a_throw()
        {
            byte[] body = Encoding.ASCII.GetBytes("data: ok\n\ndata: " + new string('a', 700) + "\ndata: " + new string('b', 700) + "\n\n");
            using var reader = new SseReader(new MemoryStream(body), 4096, 1024);
            Assert.True(await reader.ReadEventAsync(CancellationToken.None));

            // The rest is already buffered: the error is found without awaiting, and still handed back as a faulted task.
            Task<bool>? next = null;
            Assert.Null(Record.Exception(() => { next = reader.ReadEventAsync(CancellationToken.None); }));
            Assert.True(next!.IsFaulted);
            await Assert.ThrowsAsync<SseFormatException>(() => next);
        }

        [Fact]
        public async Task The_bytes_read_are_counted_and_an_event_handed_out_from_the_buffer_is_exact()
        {
            byte[] body = Encoding.ASCII.GetBytes("data: one\n\ndata: two\n\n: c\n");
            using var reader = new SseReader(new ChunkedStream(body, 7), 64);
            var events = new List<string>();
            while (await reader.ReadEventAsync(CancellationToken.None))
            {
                events.Add(Encoding.ASCII.GetString(reader.Data));
            }

            Assert.Equal(new[] { "one", "two" }, events);
            Assert.Equal(body.Length, reader.BytesRead);
            Assert.False(reader.EndedMidLine);
        }

        [Fact]
        public async Task Many_short_events_through_a_small_buffer_keep_their_order()
        {
            var text = new StringBuilder();
            for (int i = 0; i < 300; i++)
            {
                text.Append("data: ").Append(i).Append("\r\n\r\n");
            }

            List<string> events = await ReadAll(Encoding.ASCII.GetBytes(text.ToString()), maxRead: 13, bufferSize: 16);
            Assert.Equal(Enumerable.Range(0, 300).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), events);
        }
    }
}
