using System.Linq;
using System.Text;
using Xunit;
using QwenPS.Errors;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// The error envelopes beyond the two documented ones (docs/dashscope-notes.md, "Errors"): what a gateway or an
    /// older endpoint sends instead, and the snippet a user sees when nothing parses.
    /// </summary>
    public class ServiceErrorParserTests
    {
        private static ServiceError? Parse(string json) => ServiceErrorParser.TryParse(Encoding.UTF8.GetBytes(json));

        [Fact]
        public void An_error_that_is_only_text_is_the_message()
        {
            ServiceError error = Parse("{\"error\":\"Model is overloaded, try later\",\"request_id\":\"r-7\"}")!;
            Assert.Equal("Model is overloaded, try later", error.Message);
            Assert.Null(error.Code);
            Assert.Null(error.Type);
            Assert.Equal("r-7", error.RequestId);
        }

        [Fact]
        public void A_compat_error_borrows_the_top_level_code_it_lacks_and_keeps_its_own_message()
        {
            ServiceError error = Parse("{\"error\":{\"message\":\"inner\"},\"code\":\"Outer\",\"message\":\"outer\"}")!;
            Assert.Equal("Outer", error.Code);
            Assert.Equal("inner", error.Message);
        }

        [Fact]
        public void Boolean_fields_are_read_as_their_json_text()
        {
            ServiceError error = Parse("{\"code\":true,\"message\":false}")!;
            Assert.Equal("true", error.Code);
            Assert.Equal("false", error.Message);
        }

        [Theory]
        [InlineData("{\"error\":42}")]
        [InlineData("{\"error\":null,\"code\":null,\"message\":{\"text\":\"x\"}}")]
        [InlineData("{\"error\":[\"a\"],\"code\":[1]}")]
        [InlineData("\"just a string\"")]
        public void Envelopes_without_a_usable_code_or_message_are_not_errors(string body)
        {
            Assert.Null(Parse(body));
        }

        [Fact]
        public void Nesting_past_sixty_four_levels_is_not_an_envelope_and_does_not_throw()
        {
            string deep = new string('[', 64) + new string(']', 64);
            Assert.Null(Parse("{\"code\":\"C\",\"x\":" + deep + "}"));
            Assert.Equal("C", Parse("{\"code\":\"C\",\"x\":" + new string('[', 62) + new string(']', 62) + "}")!.Code);
        }

        [Fact]
        public void A_string_that_is_not_valid_utf8_is_not_an_envelope_and_does_not_throw()
        {
            byte[] body = Encoding.ASCII.GetBytes("{\"code\":\"X\",\"message\":\"\"}");
            byte[] bad = body.Take(body.Length - 2).Concat(new byte[] { 0xFF, 0xFE }).Concat(body.Skip(body.Length - 2)).ToArray();
            Assert.Null(ServiceErrorParser.TryParse(bad));
        }

        [Fact]
        public void The_snippet_of_an_empty_body_says_so()
        {
            Assert.Equal("(empty body)", ServiceErrorParser.Snippet(System.ReadOnlySpan<byte>.Empty));
        }

        [Fact]
        public void The_snippet_is_one_line_without_leading_or_doubled_space()
        {
            Assert.Equal("a b c", ServiceErrorParser.Snippet(Encoding.UTF8.GetBytes("\r\n  a\t\u0001 b\n\n c  ")));
        }

        [Fact]
        public void The_snippet_stops_at_its_length_with_an_ellipsis()
        {
            Assert.Equal("abcde…", ServiceErrorParser.Snippet(Encoding.UTF8.GetBytes("abcdefgh"), maxChars: 5));
            Assert.Equal("abcde", ServiceErrorParser.Snippet(Encoding.UTF8.GetBytes("abcde"), maxChars: 5));
            Assert.Equal("abcde…", ServiceErrorParser.Snippet(Encoding.UTF8.GetBytes("\n  abcdefgh"), maxChars: 5));
        }

        [Fact]
        public void The_snippet_is_redacted_before_it_is_cut_so_no_part_of_a_key_stays()
        {
            string body = new string('x', 196) + " sk-canary0123456789abcdef tail";
            string snippet = ServiceErrorParser.Snippet(Encoding.UTF8.GetBytes(body), text => SecretRedactor.Redact(text));
            Assert.DoesNotContain("sk-can", snippet);
            Assert.EndsWith(" ***…", snippet);
        }

        [Fact]
        public void The_snippet_reads_far_enough_past_the_cut_to_redact_a_key_that_reaches_it()
        {
            // 1,790 spaces, then a key: only a read of 4 bytes per kept character plus 1 KB reaches it.
            string key = "sk-" + new string('a', 40);
            string body = new string(' ', 1790) + key;
            string snippet = ServiceErrorParser.Snippet(Encoding.UTF8.GetBytes(body), text => SecretRedactor.Redact(text));
            Assert.Equal("***", snippet);
        }
    }
}
