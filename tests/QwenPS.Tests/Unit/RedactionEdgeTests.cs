using System;
using Xunit;
using QwenPS.Errors;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// Where a key can sit in a text QwenPS writes (docs/reliability.md, "Security guarantees"): first, last, after a dash, in a URL,
    /// and the terminal control characters that are taken out of every message.
    /// </summary>
    public class RedactionEdgeTests
    {
        [Fact]
        public void The_text_after_the_known_key_is_kept()
        {
            Assert.Equal("*** was refused; try another key", SecretRedactor.Redact("MY-ODD-KEY was refused; try another key", "my-odd-key"));
        }

        [Fact]
        public void A_known_key_shorter_than_four_characters_is_not_masked_everywhere()
        {
            Assert.Equal("abc and abc", SecretRedactor.Redact("abc and abc", "abc"));
            Assert.Equal("*** and ***", SecretRedactor.Redact("abcd and abcd", "abcd"));
        }

        [Fact]
        public void A_bearer_token_at_the_very_start_is_masked()
        {
            Assert.Equal("Bearer ***", SecretRedactor.Redact("Bearer token123"));
        }

        [Fact]
        public void A_key_after_a_leading_dash_is_masked()
        {
            Assert.Equal("-- ***", SecretRedactor.Redact("-- sk-abcdef123456"));
            Assert.Equal("-x ***", SecretRedactor.Redact("-x sk-abcdef123456"));
        }

        [Fact]
        public void A_key_after_a_kelvin_sign_dash_and_an_upper_case_k_is_masked()
        {
            Assert.Equal("***", SecretRedactor.Redact("SK-abcdef123"));
        }

        [Theory]
        [InlineData("http://user:pa55word@proxy.local:8080", "http://user:***@proxy.local:8080")]
        [InlineData("://user:pa55word@proxy.local", "://user:***@proxy.local")]
        [InlineData("proxy http://:pa55@h failed", "proxy http://:***@h failed")]
        [InlineData("mail me@example.com about http://h", "mail me@example.com about http://h")]
        public void The_password_of_a_url_is_masked_and_nothing_else(string input, string expected)
        {
            Assert.Equal(expected, SecretRedactor.Redact(input));
        }

        [Theory]
        [InlineData("a\u001b[31mred", "a [31mred")]
        [InlineData("\u001b[2Jx", " [2Jx")]
        [InlineData("a \u0007b", "a b")]
        [InlineData("a\u0000\u0001\u0002b", "a b")]
        [InlineData("a\u007fb\u0085c\u009bd\u009fe", "a b c d e")]
        [InlineData("tab\tkept", "tab\tkept")]
        [InlineData("a\r\nb\nc", "a b c")]
        [InlineData("~\u00a0\u00ff", "~\u00a0\u00ff")]
        public void Control_characters_become_one_space(string input, string expected)
        {
            Assert.Equal(expected, SecretRedactor.Redact(input));
        }

        [Theory]
        [InlineData("line 1\nline 2\r\nline 3", "line 1\nline 2\r\nline 3")]
        [InlineData("a\rb", "a b")]
        [InlineData("end\r", "end ")]
        [InlineData("x\u001b\ny", "x \ny")]
        public void Answer_text_keeps_its_line_breaks_but_not_a_lone_carriage_return(string input, string expected)
        {
            Assert.Equal(expected, SecretRedactor.WithoutControlCharacters(input, keepLineBreaks: true));
        }

        [Fact]
        public void A_redacted_copy_keeps_type_message_and_hresult_of_each_exception_in_the_chain()
        {
            var inner = new InvalidOperationException("inner sk-abcdef123456") { HResult = 17 };
            var outer = new System.Net.Http.HttpRequestException("outer sk-abcdef123456", inner);
            RedactedException copy = RedactedException.From(outer, text => SecretRedactor.Redact(text));

            Assert.Equal("System.Net.Http.HttpRequestException", copy.OriginalType);
            Assert.Equal("outer ***", copy.Message);
            Assert.Equal(outer.HResult, copy.HResult);
            var innerCopy = Assert.IsType<RedactedException>(copy.InnerException);
            Assert.Equal("System.InvalidOperationException", innerCopy.OriginalType);
            Assert.Equal("inner ***", innerCopy.Message);
            Assert.Equal(17, innerCopy.HResult);
            Assert.Null(innerCopy.InnerException);
            Assert.Equal("System.Net.Http.HttpRequestException: outer *** ---> System.InvalidOperationException: inner ***", copy.ToString());
        }

        [Fact]
        public void A_chain_is_copied_eight_deep_and_no_deeper()
        {
            Exception chain = new Exception("e0");
            for (int i = 1; i < 12; i++)
            {
                chain = new Exception("e" + i, chain);
            }

            RedactedException copy = RedactedException.From(chain, text => text);
            int depth = 0;
            Exception? last = null;
            for (Exception? e = copy; e != null; e = e.InnerException)
            {
                depth++;
                last = e;
            }

            Assert.Equal(8, depth);
            Assert.Equal("e4", last!.Message);
        }

        [Fact]
        public void An_already_redacted_innermost_exception_is_kept_as_it_is()
        {
            RedactedException first = RedactedException.From(new Exception("x"), text => text);
            RedactedException again = RedactedException.From(new Exception("wrapper", first), text => text.ToUpperInvariant());
            Assert.Same(first, again.InnerException);
            Assert.Equal("WRAPPER", again.Message);

            RedactedException alone = RedactedException.From(first, text => "changed");
            Assert.Same(first, alone);
        }

        [Fact]
        public void Notes_are_added_to_the_message_in_order_and_a_copy_with_more_text_keeps_every_field()
        {
            var partial = new QwenChatResponse("half", null, null, null, "m", "id", "req", null, Array.Empty<QwenToolCall>(), Array.Empty<QwenMessage>(), incomplete: true);
            var error = new QwenException(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError, "Cut.", new TimeoutException("t"))
            {
                StatusCode = 200,
                ServiceCode = "code",
                ServiceType = "type",
                RequestId = "req",
                Target = "qwen-plus",
                RetryAfter = TimeSpan.FromSeconds(2),
                IsTransient = true,
                PartialResponse = partial,
                Attempts = 3,
            };
            Assert.Equal("Cut.", error.Message);
            error.AppendToMessage("First note.");
            error.AppendToMessage("Second note.");
            Assert.Equal("Cut. First note. Second note.", error.Message);

            QwenException copy = error.WithMoreText("More.");
            Assert.Equal("Cut. First note. Second note. More.", copy.Message);
            Assert.Equal(error.ErrorId, copy.ErrorId);
            Assert.Equal(error.Category, copy.Category);
            Assert.Same(error.InnerException, copy.InnerException);
            Assert.Equal(200, copy.StatusCode);
            Assert.Equal("code", copy.ServiceCode);
            Assert.Equal("type", copy.ServiceType);
            Assert.Equal("req", copy.RequestId);
            Assert.Equal("qwen-plus", copy.Target);
            Assert.Equal(TimeSpan.FromSeconds(2), copy.RetryAfter);
            Assert.True(copy.IsTransient);
            Assert.Same(partial, copy.PartialResponse);
            Assert.Equal(3, copy.Attempts);
        }
    }
}
