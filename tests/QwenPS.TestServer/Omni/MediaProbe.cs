using System;
using System.Buffers.Binary;
using System.Text;

namespace QwenPS.TestServer.Omni;

/// <summary>
/// Just enough of the common media formats to check what a client sent: the format from the magic bytes,
/// image sizes (PNG, GIF), durations (WAV from its header, MP4 from its movie header). An independent
/// implementation: the client has its own.
/// </summary>
internal static class MediaProbe
{
    /// <summary>The image subtype the bytes are ("png", "jpeg", "gif", "webp", "bmp", "tiff") or null.</summary>
    public static string? ImageType(byte[] b)
    {
        if (b.Length >= 8 && b[0] == 0x89 && b[1] == (byte)'P' && b[2] == (byte)'N' && b[3] == (byte)'G')
        {
            return "png";
        }

        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        {
            return "jpeg";
        }

        if (Ascii(b, 0, 4) == "GIF8")
        {
            return "gif";
        }

        if (Ascii(b, 0, 4) == "RIFF" && Ascii(b, 8, 4) == "WEBP")
        {
            return "webp";
        }

        if (Ascii(b, 0, 2) == "BM")
        {
            return "bmp";
        }

        if (Ascii(b, 0, 4) is "II*\0" or "MM\0*")
        {
            return "tiff";
        }

        return null;
    }

    /// <summary>Width and height for PNG and GIF; null for other formats or a truncated header.</summary>
    public static (int Width, int Height)? ImageSize(byte[] b, string type)
    {
        if (type == "png" && b.Length >= 24 && Ascii(b, 12, 4) == "IHDR")
        {
            return ((int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(16)), (int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(20)));
        }

        if (type == "gif" && b.Length >= 10)
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(6)), BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(8)));
        }

        return null;
    }

    /// <summary>"wav", "mp3", "mp4" (ISO base media: mp4/mov/m4a), "webm", "ogg", "flac" from the magic bytes, or null.</summary>
    public static string? ContainerType(byte[] b)
    {
        if (Ascii(b, 0, 4) == "RIFF" && Ascii(b, 8, 4) == "WAVE")
        {
            return "wav";
        }

        if (Ascii(b, 0, 3) == "ID3" || (b.Length >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0))
        {
            return "mp3";
        }

        if (Ascii(b, 4, 4) == "ftyp")
        {
            return "mp4";
        }

        if (b.Length >= 4 && b[0] == 0x1A && b[1] == 0x45 && b[2] == 0xDF && b[3] == 0xA3)
        {
            return "webm";
        }

        if (Ascii(b, 0, 4) == "OggS")
        {
            return "ogg";
        }

        if (Ascii(b, 0, 4) == "fLaC")
        {
            return "flac";
        }

        return null;
    }

    /// <summary>Seconds of a PCM WAV: the data chunk's size over the fmt chunk's byte rate. Null when not readable.</summary>
    public static double? WavSeconds(byte[] b)
    {
        int pos = 12;
        uint byteRate = 0;
        while (pos + 8 <= b.Length)
        {
            string id = Ascii(b, pos, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(pos + 4));
            if (id == "fmt " && pos + 16 <= b.Length - 4)
            {
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(pos + 16));
            }
            else if (id == "data")
            {
                return byteRate == 0 ? null : size / (double)byteRate;
            }

            pos += 8 + (int)Math.Min(size + (size & 1), int.MaxValue - pos - 8);
        }

        return null;
    }

    /// <summary>Seconds of an MP4/MOV from moov/mvhd (duration / timescale). Null when not found.</summary>
    public static double? Mp4Seconds(byte[] b)
    {
        int moov = FindBox(b, 0, b.Length, "moov");
        if (moov < 0)
        {
            return null;
        }

        int moovSize = (int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(moov));
        int mvhd = FindBox(b, moov + 8, Math.Min(b.Length, moov + moovSize), "mvhd");
        if (mvhd < 0 || mvhd + 40 > b.Length)
        {
            return null;
        }

        int version = b[mvhd + 8];
        if (version == 1)
        {
            uint timescale64 = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(mvhd + 28));
            ulong duration64 = BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(mvhd + 32));
            return timescale64 == 0 ? null : duration64 / (double)timescale64;
        }

        uint timescale = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(mvhd + 20));
        uint duration = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(mvhd + 24));
        return timescale == 0 ? null : duration / (double)timescale;
    }

    private static int FindBox(byte[] b, int start, int end, string type)
    {
        int pos = start;
        while (pos + 8 <= end)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(pos));
            if (size == 1 && pos + 16 <= end)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(pos + 8));
            }
            else if (size == 0)
            {
                size = end - pos;
            }

            if (Ascii(b, pos + 4, 4) == type)
            {
                return pos;
            }

            if (size < 8)
            {
                return -1;
            }

            pos = (int)Math.Min(pos + size, int.MaxValue);
        }

        return -1;
    }

    private static string Ascii(byte[] b, int offset, int count)
        => b.Length >= offset + count ? Encoding.ASCII.GetString(b, offset, count) : string.Empty;
}
