using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace QwenPS.Tests.Omni
{
    /// <summary>Small, well-formed media headers (and bodies where cheap) for the multimodal tests.</summary>
    internal static class MediaSamples
    {
        /// <summary>A PNG signature + IHDR of the given size (no pixel data: only headers are read).</summary>
        public static byte[] Png(int width = 16, int height = 16)
        {
            var b = new byte[33];
            new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(b, 0);
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), 13);
            Encoding.ASCII.GetBytes("IHDR").CopyTo(b, 12);
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(16), (uint)width);
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(20), (uint)height);
            b[24] = 8;
            b[25] = 2;
            return b;
        }

        public static byte[] Jpeg() => new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0xFF, 0xD9 };

        /// <summary>A PCM WAV, 16-bit mono, silent.</summary>
        public static byte[] Wav(double seconds, int sampleRate = 16000)
        {
            int dataBytes = (int)(seconds * sampleRate) * 2;
            var stream = new MemoryStream();
            var w = new BinaryWriter(stream);
            w.Write(Encoding.ASCII.GetBytes("RIFF"));
            w.Write(36 + dataBytes);
            w.Write(Encoding.ASCII.GetBytes("WAVEfmt "));
            w.Write(16);
            w.Write((short)1);
            w.Write((short)1);
            w.Write(sampleRate);
            w.Write(sampleRate * 2);
            w.Write((short)2);
            w.Write((short)16);
            w.Write(Encoding.ASCII.GetBytes("data"));
            w.Write(dataBytes);
            w.Write(new byte[dataBytes]);
            w.Flush();
            return stream.ToArray();
        }

        /// <summary>An ID3-tagged MP3 start (tag + one frame header); enough for format detection.</summary>
        public static byte[] Mp3() => new byte[] { 0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0, 0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0 };

        /// <summary>ftyp + moov/mvhd (version 0, timescale 1000) + a small mdat.</summary>
        public static byte[] Mp4(double seconds)
        {
            var stream = new MemoryStream();
            void Box(string type, byte[] body)
            {
                var size = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(size, (uint)(8 + body.Length));
                stream.Write(size);
                stream.Write(Encoding.ASCII.GetBytes(type));
                stream.Write(body);
            }

            Box("ftyp", Encoding.ASCII.GetBytes("isom\0\0\x02\0isomiso2mp41"));
            var mvhd = new byte[100];
            BinaryPrimitives.WriteUInt32BigEndian(mvhd.AsSpan(12), 1000);
            BinaryPrimitives.WriteUInt32BigEndian(mvhd.AsSpan(16), (uint)(seconds * 1000));
            var mvhdBox = new byte[108];
            BinaryPrimitives.WriteUInt32BigEndian(mvhdBox, 108);
            Encoding.ASCII.GetBytes("mvhd").CopyTo(mvhdBox, 4);
            mvhd.CopyTo(mvhdBox, 8);
            Box("moov", mvhdBox);
            Box("mdat", new byte[64]);
            return stream.ToArray();
        }

        public static string DataUrl(string mime, byte[] bytes) => "data:" + mime + ";base64," + Convert.ToBase64String(bytes);
    }
}
