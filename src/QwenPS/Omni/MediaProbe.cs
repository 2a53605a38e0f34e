using System;

namespace QwenPS.Omni
{
    /// <summary>
    /// What can be known of a media file from its bytes without a codec: image size (PNG, GIF, BMP, JPEG, WebP) and
    /// duration (WAV from its header, MP4/MOV/M4A from the movie header). Null where the file does not say.
    /// </summary>
    internal static class MediaProbe
    {
        public static (int Width, int Height)? ImageSize(byte[] b, MediaFormat format)
        {
            try
            {
                if (format == MediaFormat.Png && b.Length >= 24)
                {
                    return ((int)BigEndian32(b, 16), (int)BigEndian32(b, 20));
                }

                if (format == MediaFormat.Gif && b.Length >= 10)
                {
                    return (b[6] | (b[7] << 8), b[8] | (b[9] << 8));
                }

                if (format == MediaFormat.Bmp && b.Length >= 26)
                {
                    return ((int)LittleEndian32(b, 18), Math.Abs((int)LittleEndian32(b, 22)));
                }

                if (format == MediaFormat.Jpeg)
                {
                    return JpegSize(b);
                }

                if (format == MediaFormat.Webp)
                {
                    return WebpSize(b);
                }
            }
            catch (IndexOutOfRangeException)
            {
                // A truncated header says nothing.
            }

            return null;
        }

        public static TimeSpan? Duration(byte[] b, MediaFormat format)
        {
            try
            {
                if (format == MediaFormat.Wav)
                {
                    return WavDuration(b);
                }

                if (format == MediaFormat.Mp4 || format == MediaFormat.Mov || format == MediaFormat.M4a)
                {
                    return Mp4Duration(b);
                }
            }
            catch (IndexOutOfRangeException)
            {
                // A truncated header says nothing.
            }

            return null;
        }

        private static (int, int)? JpegSize(byte[] b)
        {
            int pos = 2;
            while (pos + 9 < b.Length)
            {
                if (b[pos] != 0xFF)
                {
                    return null;
                }

                byte marker = b[pos + 1];
                if (marker == 0xFF)
                {
                    pos++;
                    continue;
                }

                int length = (b[pos + 2] << 8) | b[pos + 3];

                // SOF0..SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
                if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
                {
                    return ((b[pos + 7] << 8) | b[pos + 8], (b[pos + 5] << 8) | b[pos + 6]);
                }

                pos += 2 + length;
            }

            return null;
        }

        private static (int, int)? WebpSize(byte[] b)
        {
            if (b.Length < 30)
            {
                return null;
            }

            string chunk = System.Text.Encoding.ASCII.GetString(b, 12, 4);
            switch (chunk)
            {
                case "VP8X":
                    return (1 + (b[24] | (b[25] << 8) | (b[26] << 16)), 1 + (b[27] | (b[28] << 8) | (b[29] << 16)));
                case "VP8 ":
                    return ((b[26] | (b[27] << 8)) & 0x3FFF, (b[28] | (b[29] << 8)) & 0x3FFF);
                case "VP8L":
                    uint bits = LittleEndian32(b, 21);
                    return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
                default:
                    return null;
            }
        }

        private static TimeSpan? WavDuration(byte[] b)
        {
            int pos = 12;
            uint byteRate = 0;
            while (pos + 8 <= b.Length)
            {
                uint size = LittleEndian32(b, pos + 4);
                if (b[pos] == 'f' && b[pos + 1] == 'm' && b[pos + 2] == 't' && b[pos + 3] == ' ')
                {
                    byteRate = LittleEndian32(b, pos + 16);
                }
                else if (b[pos] == 'd' && b[pos + 1] == 'a' && b[pos + 2] == 't' && b[pos + 3] == 'a')
                {
                    // A streamed WAV says 0xFFFFFFFF: then the data runs to the end of the file.
                    long data = size == uint.MaxValue ? b.Length - pos - 8 : size;
                    return byteRate == 0 ? (TimeSpan?)null : TimeSpan.FromTicks(data * TimeSpan.TicksPerSecond / byteRate);
                }

                pos += 8 + (int)Math.Min(size + (size & 1), (uint)(b.Length - pos));
            }

            return null;
        }

        private static TimeSpan? Mp4Duration(byte[] b)
        {
            int moov = FindBox(b, 0, b.Length, "moov", out long moovSize);
            if (moov < 0)
            {
                return null;
            }

            int mvhd = FindBox(b, moov + 8, (int)Math.Min(b.Length, moov + moovSize), "mvhd", out _);
            if (mvhd < 0)
            {
                return null;
            }

            bool wide = b[mvhd + 8] == 1;
            uint timescale = BigEndian32(b, mvhd + (wide ? 28 : 20));
            ulong duration = wide ? ((ulong)BigEndian32(b, mvhd + 32) << 32) | BigEndian32(b, mvhd + 36) : BigEndian32(b, mvhd + 24);
            return timescale == 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(duration / (double)timescale);
        }

        private static int FindBox(byte[] b, int start, int end, string type, out long size)
        {
            int pos = start;
            while (pos + 8 <= end)
            {
                size = BigEndian32(b, pos);
                if (size == 1 && pos + 16 <= end)
                {
                    size = ((long)BigEndian32(b, pos + 8) << 32) | BigEndian32(b, pos + 12);
                }
                else if (size == 0)
                {
                    size = end - pos;
                }

                if (b[pos + 4] == type[0] && b[pos + 5] == type[1] && b[pos + 6] == type[2] && b[pos + 7] == type[3])
                {
                    return pos;
                }

                if (size < 8 || pos + size > int.MaxValue)
                {
                    break;
                }

                pos += (int)size;
            }

            size = 0;
            return -1;
        }

        private static uint BigEndian32(byte[] b, int at) => ((uint)b[at] << 24) | ((uint)b[at + 1] << 16) | ((uint)b[at + 2] << 8) | b[at + 3];

        private static uint LittleEndian32(byte[] b, int at) => b[at] | ((uint)b[at + 1] << 8) | ((uint)b[at + 2] << 16) | ((uint)b[at + 3] << 24);
    }
}
