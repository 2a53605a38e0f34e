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
    /// <summary>
    /// Stream chunks and events that the documented samples do not show (docs/dashscope-notes.md, "Streaming"): error
    /// chunks of every shape, finish reasons beyond stop/length/tool_calls, request ids, and events of several lines.
    /// </summary>
    public class StreamChunkEdgeTests
    {
        private static readonly QwenMessage[] Sent = { new QwenMessage(QwenRole.User, "q") };

        private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        [Fact]
        public void An_error_chunk_that_is_only_text_raises_with_that_text_and_the_chunk_request_id()
        {
            var aggregator = new ChatStreamAggregator();
            var error = Assert.Throws<StreamErrorException>(() => aggregator.Process(Utf8("{\"error\":\"upstream reset\",\"request_id\":\"req-5\"}"), null));
            Assert.Equal("upstream reset", error.Error.Message);
            Assert.Null(error.Error.Code);
            Assert.Equal("req-5", error.Error.RequestId);
        }

        [Fact]
        public void An_error_chunk_with_numeric_and_boolean_fields_reads_them_as_text()
        {
            var aggregator = new ChatStreamAggregator();
            var error = Assert.Throws<StreamErrorException>(() => aggregator.Process(Utf8("{\"error\":{\"code\":1301,\"message\":2.5,\"type\":true,\"param\":{\"x\":1}}}"), null));
            Assert.Equal("1301", error.Error.Code);
            Assert.Equal("2.5", error.Error.Message);
            Assert.Equal("true", error.Error.Type);
            Assert.Null(error.Error.RequestId);

            var second = Assert.Throws<StreamErrorException>(() => new ChatStreamAggregator().Process(Utf8("{\"error\":{\"code\":false,\"message\":null}}"), null));
            Assert.Equal("false", second.Error.Code);
            Assert.Null(second.Error.Message);
        }

        [Fact]
        public void A_null_error_is_no_error_and_an_error_of_another_shape_still_stops_the_stream()
        {
            var aggregator = new ChatStreamAggregator();
            Assert.True(aggregator.Process(Utf8("{\"error\":null,\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}"), null));
            Assert.Equal("ok", aggregator.Build(Sent, null, false).Content);

            var error = Assert.Throws<StreamErrorException>(() => aggregator.Process(Utf8("{\"error\":[1,2],\"request_id\":\"r\"}"), null));
            Assert.Null(error.Error.Message);
            Assert.Equal("r", error.Error.RequestId);
        }

        [Fact]
        public void A_request_id_beside_the_error_object_is_the_error_request_id()
        {
            // The request id sits beside the error object, after it here: it still becomes the error's.
            var error = Assert.Throws<StreamErrorException>(() => new ChatStreamAggregator().Process(Utf8("{\"error\":{\"message\":\"m\"},\"request_id\":\"late\"}"), null));
            Assert.Equal("late", error.Error.RequestId);
        }

        [Theory]
        [InlineData("content_filter")]
        [InlineData("insufficient_system_resource")]
        [InlineData("null")]
        [InlineData("stop")]
        [InlineData("length")]
        [InlineData("tool_calls")]
        public void Every_finish_reason_text_is_kept_as_sent(string reason)
        {
            var aggregator = new ChatStreamAggregator();
            aggregator.Process(Utf8("{\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"" + reason + "\"}]}"), null);
            Assert.Equal(reason, aggregator.FinishReason);
            Assert.Equal(reason, aggregator.Build(Sent, null, false).FinishReason);
        }

        [Fact]
        public void A_finish_reason_that_is_not_text_is_none_and_a_later_null_does_not_erase_one()
        {
            var aggregator = new ChatStreamAggregator();
            aggregator.Process(Utf8("{\"choices\":[{\"delta\":{},\"finish_reason\":{\"odd\":true}}]}"), null);
            Assert.Null(aggregator.FinishReason);
            aggregator.Process(Utf8("{\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}]}"), null);
            aggregator.Process(Utf8("{\"choices\":[{\"delta\":{},\"finish_reason\":null}],\"usage\":{\"total_tokens\":3}}"), null);
            Assert.Equal("length", aggregator.FinishReason);
        }

        [Fact]
        public void The_request_id_given_to_build_wins_over_the_one_in_the_completion_id()
        {
            var aggregator = new ChatStreamAggregator();
            aggregator.Process(Utf8("{\"id\":\"chatcmpl-from-id\",\"model\":\"qwen-plus\",\"choices\":[{\"delta\":{\"content\":\"x\"}}]}"), null);
            Assert.Equal("from-header", aggregator.Build(Sent, "from-header", false).RequestId);
            Assert.Equal("from-id", aggregator.Build(Sent, null, false).RequestId);
        }

        [Fact]
        public void The_header_is_read_from_the_first_chunk_that_has_one()
        {
            var aggregator = new ChatStreamAggregator();
            aggregator.Process(Utf8("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}"), null);
            aggregator.Process(Utf8("{\"id\":\"chatcmpl-1\",\"model\":\"m1\",\"created\":1700000000,\"choices\":[{\"delta\":{\"content\":\"b\"}}]}"), null);
            aggregator.Process(Utf8("{\"id\":\"chatcmpl-2\",\"model\":\"m2\",\"created\":1800000000,\"choices\":[{\"delta\":{\"content\":\"c\"}}]}"), null);
            QwenChatResponse response = aggregator.Build(Sent, null, false);
            Assert.Equal("chatcmpl-1", response.Id);
            Assert.Equal("m1", response.Model);
            Assert.Equal(1700000000L, aggregator.Created);
            Assert.Equal("abc", response.Content);
        }

        [Fact]
        public void A_created_time_that_is_not_a_whole_number_is_none()
        {
            var aggregator = new ChatStreamAggregator();
            aggregator.Process(Utf8("{\"id\":\"chatcmpl-1\",\"created\":\"soon\",\"choices\":[]}"), null);
            Assert.Null(aggregator.Created);
        }

        private static Task<List<string>> ReadAll(string text, int maxRead, int bufferSize) => SseEvents.ReadAllAsync(Utf8(text), maxRead, bufferSize);

        [Theory]
        [InlineData(7, 64)]
        [InlineData(4096, 1024)]
        [InlineData(100000, 16384)]
        public async Task An_event_of_several_lines_over_four_kilobytes_keeps_every_line(int maxRead, int bufferSize)
        {
            string first = new string('a', 3000);
            string second = new string('b', 3000);
            string third = "tail";
            var events = await ReadAll("data: " + first + "\ndata: " + second + "\ndata: " + third + "\n\ndata: next\n\n", maxRead, bufferSize);
            Assert.Equal(new[] { first + "\n" + second + "\n" + third, "next" }, events);
        }

        [Fact]
        public async Task An_event_that_grows_the_data_buffer_twice_keeps_every_byte()
        {
            string[] lines = Enumerable.Range(0, 6).Select(i => new string((char)('a' + i), 2500)).ToArray();
            string body = string.Concat(lines.Select(l => "data:" + l + "\n")) + "\n";
            var events = await ReadAll(body, 1000, 512);
            Assert.Equal(string.Join("\n", lines), Assert.Single(events));
        }
    }
}
