using System;
using System.Collections.Generic;
using System.Linq;
using QwenPS.Omni;
using Xunit;

namespace QwenPS.Tests.Omni
{
    public sealed class Base64StreamDecoderTests
    {
        // 0..3 bytes past a multiple of 3: every padding form at the end.
        private static readonly byte[][] Payloads = Enumerable.Range(40, 4).Select(n => Enumerable.Range(0, n).Select(i => (byte)((i * 37) + 11)).ToArray()).ToArray();

        private static byte[] DecodeInPieces(IEnumerable<string> pieces)
        {
            var decoder = new Base64StreamDecoder();
            var result = new List<byte>();
            foreach (string piece in pieces)
            {
                var buffer = new byte[Base64StreamDecoder.MaxBytes(piece.Length)];
                int n = decoder.Decode(piece, 0, piece.Length, buffer, 0);
                result.AddRange(buffer.Take(n));
            }

            Assert.Equal(0, decoder.PendingChars);
            return result.ToArray();
        }

        [Fact]
        public void Every_single_split_point_decodes_to_the_same_bytes()
        {
            foreach (byte[] payload in Payloads)
            {
                string text = Convert.ToBase64String(payload);
                for (int cut = 0; cut <= text.Length; cut++)
                {
                    Assert.Equal(payload, DecodeInPieces(new[] { text.Substring(0, cut), text.Substring(cut) }));
                }
            }
        }

        [Fact]
        public void Every_pair_of_split_points_decodes_to_the_same_bytes()
        {
            foreach (byte[] payload in Payloads)
            {
                string text = Convert.ToBase64String(payload);
                for (int a = 0; a <= text.Length; a++)
                {
                    for (int b = a; b <= text.Length; b++)
                    {
                        Assert.Equal(payload, DecodeInPieces(new[] { text.Substring(0, a), text.Substring(a, b - a), text.Substring(b) }));
                    }
                }
            }
        }

        [Fact]
        public void One_character_at_a_time_decodes_to_the_same_bytes()
        {
            foreach (byte[] payload in Payloads)
            {
                string text = Convert.ToBase64String(payload);
                Assert.Equal(payload, DecodeInPieces(text.Select(c => c.ToString())));
            }
        }

        [Fact]
        public void Pieces_encoded_on_their_own_with_padding_decode_when_concatenated_and_split_anywhere()
        {
            byte[] payload = Payloads[3];
            var sizes = new[] { 1, 2, 3, 4, 5, 7, 8, 13 };
            var pieces = new List<string>();
            int at = 0;
            for (int i = 0; at < payload.Length; i++)
            {
                int n = Math.Min(sizes[i % sizes.Length], payload.Length - at);
                pieces.Add(Convert.ToBase64String(payload, at, n));
                at += n;
            }

            string all = string.Concat(pieces);
            Assert.Contains("==", all, StringComparison.Ordinal);
            Assert.Equal(payload, DecodeInPieces(pieces));
            for (int cut = 0; cut <= all.Length; cut++)
            {
                Assert.Equal(payload, DecodeInPieces(new[] { all.Substring(0, cut), all.Substring(cut) }));
            }
        }

        [Fact]
        public void Whitespace_is_skipped_and_url_safe_characters_are_read()
        {
            byte[] payload = { 0xFB, 0xFF, 0xBF, 0x01 };
            string text = Convert.ToBase64String(payload);   // "+/+/AQ=="
            Assert.Equal(payload, DecodeInPieces(new[] { text.Substring(0, 3) + "\r\n", " " + text.Substring(3) }));
            Assert.Equal(payload, DecodeInPieces(new[] { text.Replace('+', '-').Replace('/', '_') }));
        }

        [Fact]
        public void An_unfinished_quad_is_held_until_the_next_piece()
        {
            var decoder = new Base64StreamDecoder();
            var buffer = new byte[16];

            Assert.Equal(0, decoder.Decode("QUJ", 0, 3, buffer, 0));
            Assert.Equal(3, decoder.PendingChars);
            Assert.Equal(3, decoder.Decode("D", 0, 1, buffer, 0));
            Assert.Equal(new byte[] { (byte)'A', (byte)'B', (byte)'C' }, buffer.Take(3));
            Assert.Equal(0, decoder.PendingChars);
        }

        [Theory]
        [InlineData("QUJD*A==", "'*' at position 4")]
        [InlineData("QUJDQ===", "follows a single character")]
        [InlineData("QUJD\u00e9", "U+00E9")]
        public void Text_that_is_not_base64_is_refused_with_the_place_named(string text, string expected)
        {
            var decoder = new Base64StreamDecoder();
            FormatException error = Assert.Throws<FormatException>(() => decoder.Decode(text, 0, text.Length, new byte[16], 0));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }
}
