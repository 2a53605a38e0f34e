using System;
using System.Collections.Generic;
using System.IO;

namespace QwenPS.Omni
{
    /// <summary>
    /// A media file format: its kind, MIME type and the short name the service uses (the <c>format</c> of an
    /// <c>input_audio</c> part). Found from the file's first bytes (magic numbers) and, when those say nothing, from
    /// the extension; the bytes win when the two disagree.
    /// </summary>
    internal sealed class MediaFormat
    {
        private static readonly Dictionary<string, MediaFormat> ByExtension = new Dictionary<string, MediaFormat>(StringComparer.OrdinalIgnoreCase);

        public static readonly MediaFormat Png = Add(MediaKind.Image, "image/png", "png", ".png");
        public static readonly MediaFormat Jpeg = Add(MediaKind.Image, "image/jpeg", "jpeg", ".jpg", ".jpeg", ".jpe");
        public static readonly MediaFormat Gif = Add(MediaKind.Image, "image/gif", "gif", ".gif");
        public static readonly MediaFormat Webp = Add(MediaKind.Image, "image/webp", "webp", ".webp");
        public static readonly MediaFormat Bmp = Add(MediaKind.Image, "image/bmp", "bmp", ".bmp");
        public static readonly MediaFormat Tiff = Add(MediaKind.Image, "image/tiff", "tiff", ".tif", ".tiff");
        public static readonly MediaFormat Heic = Add(MediaKind.Image, "image/heic", "heic", ".heic", ".heif");
        public static readonly MediaFormat Wav = Add(MediaKind.Audio, "audio/wav", "wav", ".wav");
        public static readonly MediaFormat Mp3 = Add(MediaKind.Audio, "audio/mpeg", "mp3", ".mp3");
        public static readonly MediaFormat Aac = Add(MediaKind.Audio, "audio/aac", "aac", ".aac");
        public static readonly MediaFormat M4a = Add(MediaKind.Audio, "audio/mp4", "m4a", ".m4a");
        public static readonly MediaFormat Flac = Add(MediaKind.Audio, "audio/flac", "flac", ".flac");
        public static readonly MediaFormat Ogg = Add(MediaKind.Audio, "audio/ogg", "ogg", ".ogg", ".oga", ".opus");
        public static readonly MediaFormat Amr = Add(MediaKind.Audio, "audio/amr", "amr", ".amr");
        public static readonly MediaFormat Mp4 = Add(MediaKind.Video, "video/mp4", "mp4", ".mp4", ".m4v");
        public static readonly MediaFormat Mov = Add(MediaKind.Video, "video/quicktime", "mov", ".mov");
        public static readonly MediaFormat Avi = Add(MediaKind.Video, "video/x-msvideo", "avi", ".avi");
        public static readonly MediaFormat Mkv = Add(MediaKind.Video, "video/x-matroska", "mkv", ".mkv");
        public static readonly MediaFormat Webm = Add(MediaKind.Video, "video/webm", "webm", ".webm");
        public static readonly MediaFormat Flv = Add(MediaKind.Video, "video/x-flv", "flv", ".flv");

        private MediaFormat(MediaKind kind, string mime, string name, string[] extensions)
        {
            Kind = kind;
            Mime = mime;
            Name = name;
            Extensions = extensions;
        }

        public MediaKind Kind { get; }

        public string Mime { get; }

        /// <summary>Short name: "png", "mp3", "mp4"…</summary>
        public string Name { get; }

        public IReadOnlyList<string> Extensions { get; }

        /// <summary>Bytes needed by <see cref="FromBytes"/>.</summary>
        public const int HeadBytes = 64;

        /// <summary>The extensions QwenPS knows for a kind, for error messages: ".png, .jpg, …".</summary>
        public static string KnownExtensions(MediaKind kind)
        {
            var list = new List<string>();
            foreach (KeyValuePair<string, MediaFormat> entry in ByExtension)
            {
                if (entry.Value.Kind == kind)
                {
                    list.Add(entry.Key);
                }
            }

            return string.Join(", ", list);
        }

        /// <summary>The format for a file name or URL path's extension, or null.</summary>
        public static MediaFormat? FromExtension(string pathOrUrl)
        {
            string path = pathOrUrl;
            int cut = path.IndexOfAny(new[] { '?', '#' });
            if (cut >= 0 && path.IndexOf("://", StringComparison.Ordinal) > 0)
            {
                path = path.Substring(0, cut);
            }

            string extension;
            try
            {
                extension = System.IO.Path.GetExtension(path);
            }
            catch (ArgumentException)
            {
                return null;
            }

            return extension.Length > 0 && ByExtension.TryGetValue(extension, out MediaFormat? format) ? format : null;
        }

        /// <summary>The format the first bytes of a file show, or null when they match none QwenPS knows.</summary>
        public static MediaFormat? FromBytes(byte[] b, int length)
        {
            bool At(int offset, string ascii)
            {
                if (length < offset + ascii.Length)
                {
                    return false;
                }

                for (int i = 0; i < ascii.Length; i++)
                {
                    if (b[offset + i] != ascii[i])
                    {
                        return false;
                    }
                }

                return true;
            }

            if (length >= 4 && b[0] == 0x89 && At(1, "PNG"))
            {
                return Png;
            }

            if (length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
            {
                return Jpeg;
            }

            if (At(0, "GIF8"))
            {
                return Gif;
            }

            if (At(0, "RIFF"))
            {
                return At(8, "WEBP") ? Webp : At(8, "WAVE") ? Wav : At(8, "AVI ") ? Avi : null;
            }

            if (At(0, "BM"))
            {
                return Bmp;
            }

            if (At(0, "II*\0") || At(0, "MM\0*"))
            {
                return Tiff;
            }

            if (At(4, "ftyp"))
            {
                if (At(8, "heic") || At(8, "heix") || At(8, "mif1") || At(8, "msf1") || At(8, "heif"))
                {
                    return Heic;
                }

                return At(8, "M4A ") ? M4a : At(8, "qt  ") ? Mov : Mp4;
            }

            if (At(0, "ID3"))
            {
                return Mp3;
            }

            if (length >= 2 && b[0] == 0xFF && (b[1] & 0xF0) == 0xF0 && (b[1] & 0x06) == 0)
            {
                return Aac;     // ADTS: sync word, layer bits 00
            }

            if (length >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0 && (b[1] & 0x06) != 0)
            {
                return Mp3;     // MPEG audio frame sync without an ID3 tag
            }

            if (At(0, "fLaC"))
            {
                return Flac;
            }

            if (At(0, "OggS"))
            {
                return Ogg;
            }

            if (At(0, "#!AMR"))
            {
                return Amr;
            }

            if (At(0, "FLV"))
            {
                return Flv;
            }

            if (length >= 4 && b[0] == 0x1A && b[1] == 0x45 && b[2] == 0xDF && b[3] == 0xA3)
            {
                for (int i = 4; i + 4 <= length; i++)
                {
                    if (At(i, "webm"))
                    {
                        return Webm;
                    }
                }

                return Mkv;
            }

            return null;
        }

        private static MediaFormat Add(MediaKind kind, string mime, string name, params string[] extensions)
        {
            var format = new MediaFormat(kind, mime, name, extensions);
            foreach (string extension in extensions)
            {
                ByExtension[extension] = format;
            }

            return format;
        }

        public override string ToString() => Name;
    }
}
