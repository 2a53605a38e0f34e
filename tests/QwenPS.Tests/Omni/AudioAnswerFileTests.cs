using System;
using System.IO;
using System.Linq;
using QwenPS.Omni;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Omni
{
    public sealed class AudioAnswerFileTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder("omni");

        public void Dispose() => _temp.Dispose();

        /// <summary>The WAV fields QwenPS writes: PCM, mono, 24 kHz, 16-bit.</summary>
        internal static (uint RiffSize, int Format, int Channels, int Rate, int ByteRate, int Align, int Bits, uint DataSize, short[] Samples) ReadWav(string path)
        {
            byte[] b = File.ReadAllBytes(path);
            Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(b, 0, 4));
            Assert.Equal("WAVEfmt ", System.Text.Encoding.ASCII.GetString(b, 8, 8));
            Assert.Equal("data", System.Text.Encoding.ASCII.GetString(b, 36, 4));
            uint dataSize = BitConverter.ToUInt32(b, 40);
            var samples = new short[(b.Length - 44) / 2];
            Buffer.BlockCopy(b, 44, samples, 0, samples.Length * 2);
            return (BitConverter.ToUInt32(b, 4), BitConverter.ToInt16(b, 20), BitConverter.ToInt16(b, 22), BitConverter.ToInt32(b, 24),
                BitConverter.ToInt32(b, 28), BitConverter.ToInt16(b, 32), BitConverter.ToInt16(b, 34), dataSize, samples);
        }

        private static byte[] Pcm(int samples) => Enumerable.Range(0, samples).SelectMany(k => BitConverter.GetBytes((short)((k * 97) - 3000))).ToArray();

        [Fact]
        public void Pieces_split_inside_quads_and_samples_land_as_a_valid_wav_with_every_sample()
        {
            byte[] pcm = Pcm(1001);
            string base64 = Convert.ToBase64String(pcm);
            string path = _temp["answer.wav"];
            using (var file = new AudioAnswerFile(path))
            {
                int at = 0;
                int total = 0;
                foreach (int size in new[] { 1, 2, 3, 5, 7, 11, 4097 }.Select(n => n).Concat(Enumerable.Repeat(13, 1000)))
                {
                    if (at >= base64.Length)
                    {
                        break;
                    }

                    int n = Math.Min(size, base64.Length - at);
                    total += file.Append(base64.Substring(at, n));
                    at += n;
                }

                Assert.Equal(pcm.Length, total);
                Assert.Equal(TimeSpan.FromTicks(1001 * TimeSpan.TicksPerSecond / 24000), file.Duration);
                file.Complete();
                Assert.False(file.EndedMidway);
            }

            var wav = ReadWav(path);
            Assert.Equal((1, 1, 24000, 48000, 2, 16), (wav.Format, wav.Channels, wav.Rate, wav.ByteRate, wav.Align, wav.Bits));
            Assert.Equal((uint)pcm.Length, wav.DataSize);
            Assert.Equal(36u + (uint)pcm.Length, wav.RiffSize);
            Assert.Equal(pcm, wav.Samples.SelectMany(BitConverter.GetBytes));
        }

        [Fact]
        public void While_the_answer_arrives_the_header_says_unknown_length_and_the_samples_are_already_on_disk()
        {
            string path = _temp["live.wav"];
            using var file = new AudioAnswerFile(path);
            file.Append(Convert.ToBase64String(Pcm(40000)));

            byte[] head;
            using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                head = new byte[44];
                reader.ReadExactly(head, 0, 44);
            }

            Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(head, 40));
            Assert.True(new FileInfo(path).Length >= 44 + 16 * 1024);   // written through, not held in memory
        }

        [Fact]
        public void A_stream_cut_inside_a_quad_and_a_sample_leaves_a_valid_shorter_wav_of_whole_samples()
        {
            byte[] pcm = Pcm(100);
            string base64 = Convert.ToBase64String(pcm);
            string path = _temp["cut.wav"];
            var file = new AudioAnswerFile(path);

            // 70 chars = 17 whole quads (51 bytes: 25 samples and half of one) + 2 chars of an unfinished quad.
            file.Append(base64.Substring(0, 70));
            file.Dispose();

            Assert.True(file.EndedMidway);
            Assert.Equal(50, file.Bytes);
            var wav = ReadWav(path);
            Assert.Equal(50u, wav.DataSize);
            Assert.Equal(pcm.Take(50), wav.Samples.SelectMany(BitConverter.GetBytes));
            Assert.Equal(44 + 50, new FileInfo(path).Length);
        }

        [Fact]
        public void An_answer_without_audio_is_a_valid_empty_wav()
        {
            string path = _temp["empty.wav"];
            new AudioAnswerFile(path).Complete();

            var wav = ReadWav(path);
            Assert.Equal((36u, 0u), (wav.RiffSize, wav.DataSize));
        }
    }
}
