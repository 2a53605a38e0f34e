using System;
using Xunit;
using QwenPS.Streaming;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// The pooled text buffer of a streamed answer (docs/performance.md, scenario 1): the text is joined exactly, and the
    /// buffer goes back to the pool, so answer after answer allocates only what each answer's string needs.
    /// </summary>
    public class PooledTextTests
    {
        [Fact]
        public void Pieces_join_exactly_across_every_growth()
        {
            using var text = new PooledText();
            var expected = new System.Text.StringBuilder();
            for (int i = 0; i < 200; i++)
            {
                string piece = new string((char)('a' + (i % 26)), i + 1);
                text.Append(piece);
                expected.Append(piece);
                Assert.Equal(expected.Length, text.Length);
            }

            Assert.Equal(expected.ToString(), text.ToString());
        }

        [Fact]
        public void An_empty_text_is_the_empty_string_and_an_empty_piece_changes_nothing()
        {
            using var text = new PooledText();
            Assert.Equal(string.Empty, text.ToString());
            text.Append(string.Empty);
            Assert.Equal(0, text.Length);
            text.Append("x");
            text.Append(string.Empty);
            Assert.Equal("x", text.ToString());
        }

        [Fact]
        public void After_dispose_the_text_is_empty_and_can_be_filled_again()
        {
            var text = new PooledText();
            text.Append(new string('a', 1000));
            text.Dispose();
            Assert.Equal(0, text.Length);
            Assert.Equal(string.Empty, text.ToString());

            text.Append("again");
            Assert.Equal("again", text.ToString());
            text.Dispose();
            text.Dispose();
            Assert.Equal(string.Empty, text.ToString());
        }

        [Fact]
        public void A_limit_below_the_text_still_holds_all_of_it()
        {
            // The limit only caps how far the buffer grows ahead; the caller (ChatStreamAggregator.MaxChars) refuses longer text.
            using var text = new PooledText { Limit = 10 };
            text.Append(new string('a', 300));
            text.Append(new string('b', 300));
            Assert.Equal(new string('a', 300) + new string('b', 300), text.ToString());
        }

        [Fact]
        public void Answer_after_answer_reuses_the_pooled_buffer_instead_of_allocating_a_new_one()
        {
            string piece = new string('x', 4096);

            void OneAnswer()
            {
                using var text = new PooledText();
                for (int i = 0; i < 32; i++)
                {
                    text.Append(piece);
                }
            }

            // Warm: the first answer rents from an empty pool.
            OneAnswer();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int answer = 0; answer < 50; answer++)
            {
                OneAnswer();
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // Each answer grows to 128 K characters (256 KB); 50 answers without the buffers going back would allocate
            // over 25 MB. Given back, they allocate next to nothing (the PooledText objects themselves).
            Assert.True(allocated < 2 * 1024 * 1024, "allocated " + allocated + " bytes for 50 answers");
        }
    }
}
