using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Engine;
using QwenPS.Errors;
using QwenPS.Files;
using QwenPS.Files.Wire;
using QwenPS.Output;
using QwenPS.Session;
using QwenPS.Streaming;
using QwenPS.Tests.Support;
using QwenPS.Transport;

namespace QwenPS.Tests.Faults
{
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class FuzzCollection
    {
        public const string Name = "Fuzz";
    }

    /// <summary>
    /// Property-based fuzzing (FsCheck 3) of everything that reads what the service sends: the SSE stream path, whole
    /// answers, error responses, and the parsers under them. Inputs are generated from the wire format's pieces
    /// (valid, odd and broken) and then mutated at the byte level, and handed out in random network-read sizes,
    /// sometimes ending in a connection reset. The property: the call returns a response whose records match what
    /// was written, or throws one <see cref="QwenException"/> with a documented id, within a time limit; never
    /// another exception, never a hang. The seed is fixed (set QWENPS_FUZZ_SEED to explore others) so a failure
    /// reproduces; the number of cases per property is <see cref="Cases"/> (QWENPS_FUZZ_CASES).
    /// It runs alone, after the parallel tests: thousands of CPU-bound cases on a 2-core box would otherwise starve
    /// the timer-driven cases running next to it.
    /// </summary>
    [Collection(FuzzCollection.Name)]
    public sealed class FuzzTests
    {
        private static readonly ulong Seed = ulong.TryParse(Environment.GetEnvironmentVariable("QWENPS_FUZZ_SEED"), out ulong seed) ? seed : 20261122UL;
        private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("QWENPS_FUZZ_CASES"), out int cases) ? cases : 1500;
        private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

        private static readonly HashSet<string> StreamIds = new HashSet<string>
        {
            QwenErrorIds.StreamInterrupted, QwenErrorIds.MalformedStream, QwenErrorIds.StreamError, QwenErrorIds.DataInspectionFailed,
            QwenErrorIds.BillingError, QwenErrorIds.UnexpectedResponse, QwenErrorIds.IdleTimeout,
        };

        private static readonly HashSet<string> StatusIds = new HashSet<string>
        {
            QwenErrorIds.InvalidParameter, QwenErrorIds.InvalidApiKey, QwenErrorIds.AccessDenied, QwenErrorIds.NotFound, QwenErrorIds.ModelNotFound,
            QwenErrorIds.RequestTimeout, QwenErrorIds.PayloadTooLarge, QwenErrorIds.UnsupportedMedia, QwenErrorIds.RateLimited,
            QwenErrorIds.ServiceUnavailable, QwenErrorIds.ServerError, QwenErrorIds.HttpError, QwenErrorIds.BillingError, QwenErrorIds.DataInspectionFailed,
        };

        private readonly ITestOutputHelper _log;

        public FuzzTests(ITestOutputHelper log)
        {
            _log = log;
        }

        private Config Config(int cases) =>
            FsCheck.Config.QuickThrowOnFailure
                .WithMaxTest(cases)
                .WithQuietOnSuccess(true)
                .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed), FSharpOption<int>.None)));

        private void Check<T>(string name, Gen<T> gen, Func<T, bool> property, int? cases = null)
        {
            int count = cases ?? Cases;
            int run = 0;
            Prop.ForAll(gen.ToArbitrary(), (T input) =>
            {
                run++;
                return property(input);
            }).Check(Config(count).WithName(name));
            _log.WriteLine(string.Format(CultureInfo.InvariantCulture, "fuzz [{0}] {1} generated cases (seed {2}) passed", name, run, Seed));
        }

        // ---- generators ------------------------------------------------------------------------------------------

        private static Gen<(T1, T2, T3)> Zip3<T1, T2, T3>(Gen<T1> a, Gen<T2> b, Gen<T3> c) =>
            from x in a
            from y in b
            from z in c
            select (x, y, z);

        private static readonly string[] Texts =
        {
            string.Empty, "a", "Hello", " ", "中文回答", "😀", "e\u0301", "\\\"quoted\\\"", "line\\nbreak", "\\u0000", "\\ud800", "\\udc00\\ud800",
            "\\uD83D\\uDE00", "[DONE]", "data: x", "\\\\", "\\/", "tab\\t", new string('x', 300), "null", "{}", "</script>",
        };

        private static Gen<string> JsonText => Gen.Elements(Texts);

        private static Gen<string> Scalar => Gen.Elements("null", "true", "false", "0", "-1", "1e400", "99999999999999999999", "\"\"", "\"s\"", "[]", "{}", "1.5", "-0");

        private static Gen<string> Delta =>
            Gen.OneOf(
                JsonText.Select(t => "{\"content\":\"" + t + "\"}"),
                JsonText.Select(t => "{\"reasoning_content\":\"" + t + "\",\"content\":null}"),
                Gen.Zip(Gen.Choose(-2, 3), JsonText).Select(p => "{\"tool_calls\":[{\"index\":" + p.Item1 + ",\"id\":\"" + (p.Item1 % 2 == 0 ? string.Empty : "call_" + p.Item1) + "\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"" + p.Item2 + "\"}}]}"),
                Scalar,
                Gen.Constant("{\"role\":\"assistant\",\"content\":\"\",\"reasoning_content\":null}"),
                Scalar.Select(s => "{\"content\":" + s + ",\"reasoning_content\":" + s + ",\"tool_calls\":" + s + "}"));

        private static Gen<string> ChunkJson =>
            Gen.Frequency(
                (6, Gen.Zip(Delta, Gen.Elements("null", "\"stop\"", "\"length\"", "\"tool_calls\"", "\"odd\"", "7")).Select(p =>
                    "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1760000000,\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"delta\":" + p.Item1 + ",\"finish_reason\":" + p.Item2 + "}]}")),
                (1, Gen.Elements(
                    "{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}",
                    "{\"choices\":[],\"usage\":{\"prompt_tokens\":1e99,\"completion_tokens\":\"x\",\"total_tokens\":null}}",
                    "{\"error\":{\"code\":\"internal_error\",\"message\":\"boom\",\"type\":\"internal_error\"},\"request_id\":\"r\"}",
                    "{\"error\":{\"code\":\"data_inspection_failed\",\"message\":\"x\"}}",
                    "{\"error\":{\"code\":\"Arrearage\"}}",
                    "{\"error\":\"plain text error\"}",
                    "{\"error\":null,\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}",
                    "{\"error\":{\"code\":12,\"message\":[1]}}",
                    "{\"created\":99999999999999999,\"choices\":[{\"delta\":{\"content\":\"t\"}}]}",
                    "{\"created\":-99999999999999,\"id\":5,\"model\":{}}",
                    "[1,2]",
                    "\"string\"",
                    "{\"choices\":[{\"delta\":{\"content\":\"unterminated",
                    "{\"choices\":" + new string('[', 100) + new string(']', 100) + "}",
                    "{\"a\":" + string.Concat(Enumerable.Repeat("{\"b\":", 70)) + "1" + new string('}', 71),
                    "{}{}",
                    "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]} trailing")));

        private static Gen<string> Line =>
            Gen.Frequency(
                (10, ChunkJson.Select(j => "data: " + j)),
                (2, ChunkJson.Select(j => "data:" + j)),
                (1, Gen.Constant("data: [DONE]")),
                (1, Gen.Constant("data: [DONE] and more")),
                (1, Gen.Elements(": keep-alive", ":", "event: message", "id: 42", "retry: 10", "data", "data:", "dat", "nonsense without colon", "DATA: {}", "  data: {}")),
                (3, Gen.Constant(string.Empty)));

        private static Gen<string> LineEnd => Gen.Frequency((6, Gen.Constant("\n")), (2, Gen.Constant("\r\n")), (1, Gen.Constant("\r")));

        /// <summary>A stream body made of lines from the wire format, each with its own line ending, maybe a BOM.</summary>
        private static Gen<byte[]> StreamBody =>
            Gen.Zip(Gen.ListOf(Gen.Zip(Line, LineEnd).Select(p => p.Item1 + p.Item2)), Gen.Elements(false, false, false, true))
                .Select(p =>
                {
                    byte[] text = Encoding.UTF8.GetBytes(string.Concat(p.Item1));
                    return p.Item2 ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(text).ToArray() : text;
                });

        private static Gen<byte[]> RandomBytes => Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i));

        /// <summary>Byte-level mutations: flip, insert, delete, duplicate, truncate, invalid UTF-8.</summary>
        private static Gen<byte[]> Mutate(Gen<byte[]> source) =>
            source.SelectMany(bytes => Gen.ListOf(Zip3(Gen.Choose(0, 6), Gen.Choose(0, 1 << 20), Gen.Choose(0, 255))).Select(edits =>
            {
                var data = new List<byte>(bytes);
                foreach ((int kind, int where, int value) in edits.Take(6))
                {
                    int at = data.Count == 0 ? 0 : where % data.Count;
                    switch (kind)
                    {
                        case 0 when data.Count > 0:
                            data[at] = (byte)value;
                            break;
                        case 1:
                            data.Insert(at, (byte)value);
                            break;
                        case 2 when data.Count > 0:
                            data.RemoveRange(at, Math.Min(data.Count - at, 1 + (value % 16)));
                            break;
                        case 3 when data.Count > 0:
                            data.InsertRange(at, data.Skip(at).Take(1 + (value % 64)).ToList());
                            break;
                        case 4:
                            data.RemoveRange(at, data.Count - at);
                            break;
                        case 5:
                            data.InsertRange(at, new byte[][] { new byte[] { 0xC3 }, new byte[] { 0xED, 0xA0, 0x80 }, new byte[] { 0xFF, 0xFE }, new byte[] { 0xF0, 0x9F }, new byte[] { 0 } }[value % 5]);
                            break;
                        default:
                            data.InsertRange(at, Encoding.UTF8.GetBytes(new[] { "\n", "\r", "\r\n", "\n\n", "\"", "\\", "}", "{" }[value % 8]));
                            break;
                    }
                }

                return data.ToArray();
            }));

        private static Gen<Delivery> DeliveryOf(Gen<byte[]> body) =>
            Zip3(body, Gen.ArrayOf(Gen.Choose(1, 97)), Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true))))
                .Select(p => new Delivery(p.Item1, p.Item2.Length == 0 ? new[] { 4096 } : p.Item2, p.Item3));

        // ---- properties ------------------------------------------------------------------------------------------

        [Fact]
        public void The_stream_reader_returns_records_or_a_documented_error_for_generated_streams()
        {
            Check("stream, generated", DeliveryOf(StreamBody), d => ChatThrough(Respond(HttpStatusCode.OK, "text/event-stream", d), stream: true, StreamIds));
        }

        [Fact]
        public void The_stream_reader_returns_records_or_a_documented_error_for_mutated_streams()
        {
            Check("stream, mutated", DeliveryOf(Mutate(StreamBody)), d => ChatThrough(Respond(HttpStatusCode.OK, "text/event-stream", d), stream: true, StreamIds));
        }

        [Fact]
        public void The_stream_reader_returns_records_or_a_documented_error_for_random_bytes()
        {
            Check("stream, random bytes", DeliveryOf(RandomBytes), d => ChatThrough(Respond(HttpStatusCode.OK, "text/event-stream", d), stream: true, StreamIds), cases: Cases / 3);
        }

        private static Gen<byte[]> CompletionBody =>
            Zip3(JsonText, Scalar, Gen.Elements(
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":{1},\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"{0}\",\"reasoning_content\":\"{0}\"}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}",
                "{\"choices\":[{\"message\":{\"content\":\"{0}\",\"tool_calls\":[{\"id\":\"c\",\"index\":{1},\"function\":{\"name\":\"f\",\"arguments\":\"{0}\"}}]}}]}",
                "{\"choices\":[{\"message\":{\"content\":{1}}}],\"usage\":{1}}",
                "{\"error\":{\"code\":\"{0}\",\"message\":\"{0}\"},\"request_id\":{1}}",
                "{\"code\":\"Arrearage\",\"message\":\"{0}\"}",
                "{\"choices\":{1}}",
                "{1}"))
            .Select(p => Encoding.UTF8.GetBytes(p.Item3.Replace("{0}", p.Item1, StringComparison.Ordinal).Replace("{1}", p.Item2, StringComparison.Ordinal)));

        [Fact]
        public void A_whole_answer_of_any_shape_is_read_or_reported_as_a_documented_error()
        {
            var ids = new HashSet<string>(StatusIds) { QwenErrorIds.UnexpectedResponse, QwenErrorIds.StreamInterrupted };
            Check("completion body, mutated", DeliveryOf(Mutate(CompletionBody)), d => ChatThrough(Respond(HttpStatusCode.OK, "application/json", d), stream: false, ids));
        }

        private static Gen<byte[]> ErrorBody =>
            Gen.Zip(JsonText, Gen.Elements(
                "{\"error\":{\"code\":\"{0}\",\"param\":null,\"message\":\"{0}\",\"type\":\"invalid_request_error\"},\"id\":\"chatcmpl-1\",\"request_id\":\"1\"}",
                "{\"code\":\"{0}\",\"message\":\"{0}\",\"request_id\":\"{0}\"}",
                "{\"error\":{\"message\":\"Required body invalid\",\"type\":\"invalid_request_error\"}}",
                "{\"error\":\"{0}\"}",
                "{\"code\":1,\"message\":[]}",
                "<html><body>{0}</body></html>",
                "{0}",
                string.Empty))
            .Select(p => Encoding.UTF8.GetBytes(p.Item2.Replace("{0}", p.Item1, StringComparison.Ordinal)));

        private static readonly string[] RetryAfterValues =
        {
            "0", "1", "-1", "0.5", "1e20", "Infinity", "-Infinity", "NaN", "99999999999", "2147483648", "soon", string.Empty,
            "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "1, 2",
        };

        [Fact]
        public void An_error_response_of_any_status_body_and_retry_header_becomes_one_documented_error()
        {
            Gen<(int Status, string? After, string? AfterMs, Delivery Body)> gen =
                from status in Gen.OneOf(Gen.Elements(400, 401, 403, 404, 408, 413, 415, 429, 500, 501, 502, 503, 504, 505), Gen.Choose(300, 599))
                from after in Gen.Elements(RetryAfterValues.Select(v => (string?)v).Append(null).ToArray())
                from afterMs in Gen.Elements(RetryAfterValues.Select(v => (string?)v).Append(null).Append(null).ToArray())
                from body in DeliveryOf(Mutate(ErrorBody))
                select (status, after, afterMs, body);

            Check("error response", gen, c => ChatThrough(
                () =>
                {
                    HttpResponseMessage response = Respond((HttpStatusCode)c.Status, "application/json", c.Body)();
                    if (c.After != null)
                    {
                        response.Headers.TryAddWithoutValidation("Retry-After", c.After);
                    }

                    if (c.AfterMs != null)
                    {
                        response.Headers.TryAddWithoutValidation("retry-after-ms", c.AfterMs);
                    }

                    return response;
                },
                stream: true,
                new HashSet<string>(StatusIds) { QwenErrorIds.UnexpectedResponse }));
        }

        [Fact]
        public void The_error_parser_returns_an_envelope_or_nothing_for_any_bytes()
        {
            Check("error parser", Gen.OneOf(Mutate(ErrorBody), RandomBytes), body =>
            {
                ServiceError? error = ServiceErrorParser.TryParse(body);
                string snippet = ServiceErrorParser.Snippet(body);
                Assert.True(snippet.Length <= 201, "snippet of " + snippet.Length + " characters");
                Assert.True(error == null || error.Code != null || error.Message != null);
                return true;
            }, cases: Cases * 3);
        }

        [Fact]
        public void The_chunk_decoder_fills_the_chunk_or_throws_JsonException_only()
        {
            Check("chunk decoder", Gen.OneOf(Mutate(ChunkJson.Select(Encoding.UTF8.GetBytes)), RandomBytes), json =>
            {
                var chunk = new ChatChunk();
                try
                {
                    ChatChunkDecoder.Decode(json, chunk, readHeader: true);
                }
                catch (JsonException)
                {
                }

                return true;
            }, cases: Cases * 3);
        }

        [Fact]
        public void The_sse_reader_yields_events_or_a_format_error_and_always_ends()
        {
            Check("sse reader", DeliveryOf(Gen.OneOf(Mutate(StreamBody), RandomBytes)), delivery =>
            {
                using var reader = new SseReader(new ChunkedStream(delivery.Body, delivery.Reads, resetAtEnd: false), initialBufferSize: 16, maxEventBytes: 4096);
                int events = 0;
                try
                {
                    while (reader.ReadEventAsync(CancellationToken.None).GetAwaiter().GetResult())
                    {
                        Assert.True(++events <= delivery.Body.Length + 1, "more events than bytes");
                        Assert.True(reader.Data.Length <= 4096, "an event over the limit");
                    }
                }
                catch (SseFormatException)
                {
                    return true;
                }

                Assert.Equal(delivery.Body.Length, reader.BytesRead);
                return true;
            }, cases: Cases * 2);
        }

        // ---- plumbing --------------------------------------------------------------------------------------------

        private static Func<HttpResponseMessage> Respond(HttpStatusCode status, string contentType, Delivery delivery) => () =>
        {
            var content = new StreamContent(new ChunkedStream(delivery.Body, delivery.Reads, delivery.Reset));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return new HttpResponseMessage(status) { Content = content };
        };

        /// <summary>One chat call whose response comes from <paramref name="respond"/>; checks the outcome.</summary>
        private static bool ChatThrough(Func<HttpResponseMessage> respond, bool stream, HashSet<string> allowed)
        {
            using var http = new HttpClient(new ScriptedHandler(respond)) { Timeout = Timeout.InfiniteTimeSpan };
            TestClient test = ServerFixture.CreateClient(http, new Uri("https://fuzz.invalid/compatible-mode/v1"), FaultFixture.CanaryKey, s =>
            {
                s.Retry = new RetryPolicy(1, new Random(1));
                s.IdleTimeout = TimeSpan.FromSeconds(5);
            });
            Task<FaultOutcome> run = Fault.ChatAsync(test, stream);
            Assert.True(run.Wait(HangLimit), "The call did not end within " + HangLimit + ".");
            FaultOutcome outcome = run.Result;
            if (outcome.Error != null)
            {
                QwenException error = Assert.IsType<QwenException>(outcome.Error);
                Assert.True(allowed.Contains(error.ErrorId), "Undocumented error id " + error.ErrorId + ": " + error.Message);
            }

            outcome.Verify(server: null, requests: 0, within: HangLimit, wellOrderedWire: false);
            return true;
        }

        /// <summary>The bytes of a response, the sizes of the reads that hand them out (cycled), and whether the
        /// connection resets (IOException) instead of ending cleanly.</summary>
        internal sealed record Delivery(byte[] Body, int[] Reads, bool Reset)
        {
            public override string ToString() =>
                "Delivery(reset " + Reset + ", reads [" + string.Join(",", Reads.Take(8)) + "], body " + Body.Length + " bytes: \"" +
                string.Concat(Body.Take(600).Select(b => b >= 0x20 && b < 0x7F && b != '"' && b != '\\' ? ((char)b).ToString() : "\\x" + b.ToString("X2", CultureInfo.InvariantCulture))) + "\")";
        }

        private sealed class ScriptedHandler : HttpMessageHandler
        {
            private readonly Func<HttpResponseMessage> _respond;

            public ScriptedHandler(Func<HttpResponseMessage> respond)
            {
                _respond = respond;
            }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage response = _respond();
                response.RequestMessage = request;
                return Task.FromResult(response);
            }
        }
    }
}
