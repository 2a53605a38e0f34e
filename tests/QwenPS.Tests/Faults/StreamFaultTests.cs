using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Faults
{
    /// <summary>SSE streams that end early, carry bad or odd events, or are framed in every legal way.</summary>
    public sealed class StreamFaultTests : FaultTestBase
    {
        public StreamFaultTests(FaultFixture fixture)
            : base(fixture)
        {
        }

        private static string Chunk(string deltaJson, string? finish = null) =>
            "data: {\"choices\":[{\"index\":0,\"delta\":" + deltaJson + (finish == null ? string.Empty : ",\"finish_reason\":\"" + finish + "\"") + "}]}\n\n";

        private async Task<FaultOutcome> StreamAsync(StreamOptions options, string model = "qwen-plus")
        {
            Server.Enqueue(ServerBehavior.Stream(options));
            return await Fault.ChatAsync(Fixture.CreateClient(), model: model);
        }

        private async Task<FaultOutcome> RawAsync(params RawSegment[] segments)
        {
            Server.Enqueue(ServerBehavior.RawStream(segments));
            return await Fault.ChatAsync(Fixture.CreateClient());
        }

        [Fact]
        public async Task Cut_before_DONE_without_a_finish_chunk_is_StreamInterrupted_with_every_chunk_kept()
        {
            // Role chunk + all four content chunks, then the connection drops before the finish chunk.
            FaultOutcome outcome = (await StreamAsync(new StreamOptions { Reply = Fault.Sixteen, CutAfterChunks = 5 })).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError);
            Assert.StartsWith("The stream broke after 5 chunk(s): ", error.Message, StringComparison.Ordinal);
            Assert.Equal(new[] { "0123", "4567", "89ab", "cdef" }, outcome.Output.Objects.Select(o => o.ToString()));
            Assert.Equal("0123456789abcdef", error.PartialResponse!.Content);
            Assert.True(error.PartialResponse.Incomplete);
            Assert.Null(error.PartialResponse.FinishReason);
        }

        [Fact]
        public async Task Cut_before_DONE_after_the_finish_and_usage_chunks_is_a_success()
        {
            FaultOutcome outcome = (await StreamAsync(new StreamOptions { Reply = Fault.Sixteen, CutAfterFinish = true, IncludeUsage = true })).Verify(Server, requests: 1, within: Fault.Quick);

            QwenChatResponse response = outcome.Success();
            Assert.Equal("0123456789abcdef", response.Content);
            Assert.Equal("stop", response.FinishReason);
            Assert.NotNull(response.Usage);
            Assert.False(response.Incomplete);
            Assert.IsType<QwenUsage>(outcome.Output.Objects[^1]);
            Assert.Contains(outcome.Output.Verbose, v => System.Text.RegularExpressions.Regex.IsMatch(v, @"^Stream complete: \d+ chunk\(s\), 16 characters, finish reason stop\.$"));
        }

        [Fact]
        public async Task Cut_after_the_finish_chunk_but_before_usage_is_a_success_without_usage()
        {
            // role, 4 content, finish = 6 chunks; the usage chunk (7th) never comes.
            FaultOutcome outcome = (await StreamAsync(new StreamOptions { Reply = Fault.Sixteen, CutAfterChunks = 6, IncludeUsage = true })).Verify(Server, requests: 1, within: Fault.Quick);

            QwenChatResponse response = outcome.Success();
            Assert.Equal("stop", response.FinishReason);
            Assert.Null(response.Usage);
            Assert.Contains(outcome.Output.Verbose, v => v.Contains("the answer is complete", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_stream_that_ends_cleanly_without_a_finish_reason_is_StreamInterrupted()
        {
            FaultOutcome outcome = (await RawAsync(RawSegment.Text(Chunk("{\"content\":\"half an\"}") + Chunk("{\"content\":\" answer\"}")))).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError);
            Assert.Equal("half an answer", error.PartialResponse!.Content);
        }

        [Fact]
        public async Task A_cut_stream_names_the_request_id_from_the_header_before_the_one_in_the_chunks()
        {
            // The test server's chunk ids are "chatcmpl-" + its header id; this stream's chunk names another one.
            FaultOutcome outcome = (await RawAsync(RawSegment.Text("data: {\"id\":\"chatcmpl-from-the-body\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half\"}}]}\n\n"))).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError);
            Assert.True(Guid.TryParse(error.RequestId, out _), "Expected the header's request id (a GUID), got " + error.RequestId);
        }

        [Fact]
        public async Task A_stream_that_ends_cleanly_after_the_finish_reason_without_DONE_is_a_success()
        {
            FaultOutcome outcome = (await RawAsync(RawSegment.Text(Chunk("{\"content\":\"all\"}") + Chunk("{\"content\":\"\"}", "stop")))).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.Equal("all", outcome.Success().Content);
        }

        [Fact]
        public async Task A_last_event_without_its_blank_line_is_kept()
        {
            FaultOutcome outcome = (await RawAsync(RawSegment.Text(Chunk("{\"content\":\"a\"}") + "data: {\"choices\":[{\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}]}\n"))).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.Equal("ab", outcome.Success().Content);
        }

        [Fact]
        public async Task A_malformed_json_line_is_MalformedStream_with_what_came_before()
        {
            FaultOutcome outcome = (await StreamAsync(new StreamOptions { Reply = Fault.Sixteen, MalformedLineAfterChunks = 3 })).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.MalformedStream, QwenErrorCategory.ProtocolError);
            Assert.Contains("invalid JSON after 3 chunk(s)", error.Message);
            Assert.Equal("01234567", error.PartialResponse!.Content);
            Assert.NotNull(error.RequestId);
        }

        [Fact]
        public async Task An_error_chunk_is_StreamError_with_the_service_code_and_what_came_before()
        {
            FaultOutcome outcome = (await StreamAsync(new StreamOptions { Reply = Fault.Sixteen, ErrorChunkAfterChunks = 3, ErrorCode = "InternalError.Algo", ErrorMessage = "Model inference failed." })).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.StreamError, QwenErrorCategory.InvalidResult);
            Assert.Equal("InternalError.Algo", error.ServiceCode);
            Assert.Equal("internal_error", error.ServiceType);
            Assert.Contains("Model inference failed.", error.Message);
            Assert.Equal(Server.Requests[0].RequestId, error.RequestId);
            Assert.Equal("01234567", error.PartialResponse!.Content);
        }

        [Theory]
        [InlineData("data_inspection_failed", QwenErrorIds.DataInspectionFailed, QwenErrorCategory.InvalidData)]
        [InlineData("DataInspectionFailed", QwenErrorIds.DataInspectionFailed, QwenErrorCategory.InvalidData)]
        [InlineData("Arrearage", QwenErrorIds.BillingError, QwenErrorCategory.QuotaExceeded)]
        public async Task An_error_chunk_with_a_known_code_gets_that_codes_error(string code, string id, QwenErrorCategory category)
        {
            FaultOutcome outcome = (await StreamAsync(new StreamOptions { Reply = Fault.Sixteen, ErrorChunkAfterChunks = 2, ErrorCode = code, ErrorMessage = "Output data may contain inappropriate content." })).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(id, category);
            Assert.Equal("0123", error.PartialResponse!.Content);
        }

        [Theory]
        [InlineData("escaped lone surrogate")]
        [InlineData("invalid UTF-8")]
        public async Task A_string_that_is_not_valid_text_is_MalformedStream_with_what_came_before(string kind)
        {
            RawSegment bad = kind == "invalid UTF-8"
                ? RawSegment.Bytes(Encoding.UTF8.GetBytes("data: {\"choices\":[{\"delta\":{\"content\":\"").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}}]}\n\n")).ToArray())
                : RawSegment.Text(Chunk("{\"content\":\"\\ud800\"}"));
            FaultOutcome outcome = (await RawAsync(RawSegment.Text(Chunk("{\"content\":\"kept\"}")), bad, RawSegment.Text(Chunk("{\"content\":\"x\"}", "stop")))).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.MalformedStream, QwenErrorCategory.ProtocolError);
            Assert.Equal("kept", error.PartialResponse!.Content);
        }

        [Fact]
        public async Task Unknown_fields_and_missing_optional_fields_are_tolerated()
        {
            FaultOutcome outcome = (await RawAsync(RawSegment.Text(
                "data: {\"choices\":[{\"delta\":{\"content\":\"one\",\"audio\":{\"data\":\"AAA=\",\"id\":\"a\"},\"new\":[1,[2,{\"x\":null}]]}}]}\n\n" +
                "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\" two\"},\"index\":0,\"logprobs\":{\"content\":[]}}],\"x_future\":{\"a\":true}}\n\n" +
                "data: {\"choices\":[{\"delta\":{\"content\":\" three\"}},{\"delta\":{\"content\":\"second choice ignored\"}}]}\n\n" +
                "data: {\"choices\":[{\"finish_reason\":\"stop\"}],\"id\":\"late-id\"}\n\n" +
                "data: [DONE]\n\n"))).Verify(Server, requests: 1, within: Fault.Quick);

            QwenChatResponse response = outcome.Success();
            Assert.Equal("one two three", response.Content);
            Assert.Null(response.Model);
            Assert.Null(response.Created);
            Assert.Equal("stop", response.FinishReason);
        }

        [Fact]
        public async Task Null_and_empty_deltas_produce_no_records()
        {
            FaultOutcome outcome = (await RawAsync(RawSegment.Text(
                Chunk("{\"content\":null,\"role\":\"assistant\",\"reasoning_content\":\"\"}") +
                "data: {\"choices\":[{\"delta\":null}]}\n\n" +
                Chunk("{}") +
                "data: {\"choices\":[]}\n\n" +
                "data: {\"choices\":null}\n\n" +
                "data: {}\n\n" +
                Chunk("{\"content\":\"\",\"reasoning_content\":null}") +
                Chunk("{\"content\":\"only this\"}") +
                Chunk("{\"content\":\"\"}", "stop") +
                "data: [DONE]\n\n"))).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.Equal("only this", outcome.Success().Content);
            Assert.Equal("only this", Assert.Single(outcome.Output.Objects).ToString());
        }

        [Fact]
        public async Task A_10_MB_single_line_is_read_whole()
        {
            const int length = 10 * 1024 * 1024;
            FaultOutcome outcome = (await RawAsync(
                RawSegment.Text("data: {\"choices\":[{\"delta\":{\"content\":\""),
                RawSegment.Repeat("a", length),
                RawSegment.Text("\"}}]}\n\n" + Chunk("{\"content\":\"!\"}", "stop") + "data: [DONE]\n\n"))).Verify(Server, requests: 1, within: TimeSpan.FromSeconds(20));

            QwenChatResponse response = outcome.Success();
            Assert.Equal(length + 1, response.Content.Length);
            Assert.Equal(2, outcome.Output.Objects.Count);
        }

        [Theory]
        [InlineData("CRLF line ends")]
        [InlineData("data: without a space")]
        [InlineData("comment lines")]
        [InlineData("UTF-8 BOM")]
        public async Task A_legal_framing_variant_is_read_like_plain_lf(string variant)
        {
            StreamOptions options = variant switch
            {
                "CRLF line ends" => new StreamOptions { CrLf = true },
                "data: without a space" => new StreamOptions { NoSpaceAfterColon = true },
                "comment lines" => new StreamOptions { CommentLines = true },
                _ => new StreamOptions { Utf8Bom = true },
            };

            FaultOutcome outcome = (await StreamAsync(options with { Reply = Fault.Sixteen })).Verify(Server, requests: 1, within: Fault.Quick);
            Assert.Equal("0123456789abcdef", outcome.Success().Content);
        }

        [Fact]
        public async Task All_framing_variants_at_once_with_cr_only_line_ends_and_other_fields_are_read()
        {
            FaultOutcome outcome = (await RawAsync(
                RawSegment.Bytes(new byte[] { 0xEF, 0xBB }),
                RawSegment.Bytes(new byte[] { 0xBF }),
                RawSegment.Text(": hello\r\revent: message\rid: 7\rretry: 1000\rdata:{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\r\r"),
                RawSegment.Text("data: {\"choices\":[{\"delta\":{\"content\":\"y\"},\"finish_reason\":\"stop\"}]}\r"),
                RawSegment.Text("\n\r\ndata: [DONE]\r\n\r\n"))).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.Equal("xy", outcome.Success().Content);
        }

        [Fact]
        public async Task A_multi_byte_character_split_across_network_reads_arrives_whole()
        {
            byte[] han = Encoding.UTF8.GetBytes("中");          // E4 B8 AD
            byte[] emoji = Encoding.UTF8.GetBytes("😀");        // F0 9F 98 80
            FaultOutcome outcome = (await RawAsync(
                RawSegment.Text("data: {\"choices\":[{\"delta\":{\"content\":\""),
                RawSegment.Bytes(han[..1]),
                RawSegment.Delay(TimeSpan.FromMilliseconds(50)),
                RawSegment.Bytes(han[1..]),
                RawSegment.Bytes(emoji[..1]),
                RawSegment.Delay(TimeSpan.FromMilliseconds(50)),
                RawSegment.Bytes(emoji[1..3]),
                RawSegment.Delay(TimeSpan.FromMilliseconds(50)),
                RawSegment.Bytes(emoji[3..]),
                RawSegment.Text("\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"))).Verify(Server, requests: 1, within: Fault.Quick);

            Assert.Equal("中😀", outcome.Success().Content);
        }

        [Fact]
        public async Task Tool_call_fragments_with_empty_ids_join_into_one_call()
        {
            Server.Enqueue(ServerBehavior.Reply(new ChatReply
            {
                ToolCalls = new[] { new ToolCallReply(0, "call_8f2c", "get_weather", new[] { "{\"location\": \"杭州", "市\"}" }) },
            }));

            FaultOutcome outcome = (await Fault.ChatAsync(Fixture.CreateClient())).Verify(Server, requests: 1, within: Fault.Quick);

            QwenChatResponse response = outcome.Success();
            QwenToolCall call = Assert.Single(response.ToolCalls);
            Assert.Equal("call_8f2c", call.Id);
            Assert.Equal("get_weather", call.Name);
            Assert.Equal("{\"location\": \"杭州市\"}", call.Arguments);
            Assert.Equal("tool_calls", response.FinishReason);
            Assert.Same(call, Assert.Single(response.Message.ToolCalls));
        }

        [Fact]
        public async Task Two_interleaved_tool_calls_are_joined_by_index_and_a_cut_keeps_the_fragments()
        {
            FaultOutcome outcome = (await RawAsync(
                RawSegment.Text(Chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}")),
                RawSegment.Text(Chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"b\\\"\"}}]}")),
                RawSegment.Text("data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"a\\\":1}\"},\"index\":0,\"id\":\"\",\"type\":\"function\"}]},\"index\":0}]}\n\n"),
                RawSegment.Text(Chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"\",\"function\":{\"arguments\":\":2\"}}]}")),
                RawSegment.Abort())).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError);
            Assert.Equal(
                new[] { ("call_a", "f", "{\"a\":1}"), ("call_b", "g", "{\"b\":2") },
                error.PartialResponse!.ToolCalls.Select(c => (c.Id!, c.Name, c.Arguments)));
        }

        [Fact]
        public async Task Reasoning_is_kept_whole_when_the_cut_comes_in_the_answer()
        {
            FaultOutcome outcome = (await StreamAsync(new StreamOptions { Reply = ChatReply.FromText("Answer text", "Reasoning text"), CutAfterChunks = 6 }, model: "qwq-plus")).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError);
            Assert.Equal("Reasoning text", error.PartialResponse!.Reasoning);
            Assert.Equal("Answ", error.PartialResponse.Content);
        }

        [Fact]
        public async Task Without_Stream_a_broken_stream_writes_the_partial_response_before_the_error()
        {
            Server.Enqueue(ServerBehavior.Stream(new StreamOptions { Reply = Fault.Sixteen, CutAfterChunks = 3 }));

            FaultOutcome outcome = (await Fault.ChatAsync(Fixture.CreateClient(), stream: false, model: "qwq-plus")).Verify(Server, requests: 1, within: Fault.Quick);

            QwenException error = outcome.Failure(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError);
            QwenChatResponse partial = Assert.IsType<QwenChatResponse>(Assert.Single(outcome.Output.Objects));
            Assert.Same(error.PartialResponse, partial);
            Assert.Equal("01234567", partial.Content);
        }
    }
}
