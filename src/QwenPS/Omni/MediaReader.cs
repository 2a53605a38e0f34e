using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace QwenPS.Omni
{
    /// <summary>
    /// Turns what a user gives (-Image, -Audio, -Video, -VideoFrame: paths or URLs) into <see cref="MediaInput"/>s.
    /// URLs (http, https, oss, data) pass through unchanged. Local files become data URLs (docs/dashscope-notes.md,
    /// content parts): <c>data:image/png;base64,…</c> for images, <c>data:;base64,…</c> for audio and video as in the
    /// service's samples. A file whose data URL would be over 10,485,760 bytes is refused before it is read.
    /// </summary>
    internal static class MediaReader
    {
        /// <summary>The most bytes one data URL may have, prefix included (docs/dashscope-notes.md).</summary>
        public const int MaxDataUrlBytes = 10_485_760;

        /// <summary>Turns one path or URL into an input of the <paramref name="kind"/> asked for;
        /// <paramref name="resolvePath"/> turns a PowerShell path into a file system path.</summary>
        public static MediaInput Read(string value, MediaKind kind, Func<string, string> resolvePath)
        {
            if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                return FromDataUrl(value, kind);
            }

            if (IsUrl(value))
            {
                MediaFormat? named = MediaFormat.FromExtension(value);
                return new MediaInput(kind, value, named != null && named.Kind == kind ? named : null, null, null);
            }

            return FromFile(resolvePath(value), kind);
        }

        /// <summary>Several images as one video (a <c>video</c> part).</summary>
        public static MediaInput ReadFrames(IReadOnlyList<string> values, Func<string, string> resolvePath)
        {
            var frames = new List<MediaInput>(values.Count);
            foreach (string value in values)
            {
                frames.Add(Read(value, MediaKind.Image, resolvePath));
            }

            return new MediaInput(MediaKind.Video, null, null, null, null, frames: frames);
        }

        public static bool IsUrl(string value) =>
            Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == "http" || uri.Scheme == "https" || uri.Scheme == "oss" || uri.Scheme == "data");

        /// <summary>Bytes of the data URL of a file of <paramref name="fileBytes"/> bytes with this prefix.</summary>
        public static long DataUrlLength(string prefix, long fileBytes) => prefix.Length + ((fileBytes + 2) / 3 * 4);

        public static string DataUrlPrefix(MediaFormat format) =>
            format.Kind == MediaKind.Image ? "data:" + format.Mime + ";base64," : "data:;base64,";

        private static MediaInput FromFile(string path, MediaKind kind)
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw Error(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, path, "Cannot find the " + Noun(kind) + " file '" + path + "'.");
            }

            if (file.Length == 0)
            {
                throw Error(QwenErrorIds.FileEmpty, QwenErrorCategory.InvalidData, path, "The " + Noun(kind) + " file '" + path + "' is empty.");
            }

            MediaFormat format = Identify(path, kind);
            string prefix = DataUrlPrefix(format);
            long urlBytes = DataUrlLength(prefix, file.Length);
            if (urlBytes > MaxDataUrlBytes)
            {
                throw Error(QwenErrorIds.FileTooLarge, QwenErrorCategory.LimitsExceeded, path,
                    "The " + Noun(kind) + " file '" + file.Name + "' is " + Size(file.Length) + "; as a data URL it would be " + Size(urlBytes)
                    + ", over the service's limit of 10 MB (10,485,760 bytes) per data URL. Pass a public URL of the file instead (files up to about 7.5 MB fit).");
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Error(QwenErrorIds.FileReadFailed, QwenErrorCategory.ReadError, path, "Cannot read '" + path + "': " + ex.Message, ex);
            }

            (int Width, int Height)? size = kind == MediaKind.Image ? MediaProbe.ImageSize(bytes, format) : null;
            if (size is (int w, int h))
            {
                CheckImageSize(file.Name, path, w, h);
            }

            return new MediaInput(kind, prefix + Convert.ToBase64String(bytes), format, path, bytes.LongLength, MediaProbe.Duration(bytes, format), size);
        }

        private static MediaInput FromDataUrl(string url, MediaKind kind)
        {
            if (url.Length > MaxDataUrlBytes)
            {
                throw Error(QwenErrorIds.FileTooLarge, QwenErrorCategory.LimitsExceeded, url.Substring(0, 30),
                    "The data URL is " + Size(url.Length) + ", over the service's limit of 10 MB (10,485,760 bytes) per data URL.");
            }

            int comma = url.IndexOf(',');
            string header = comma > 5 ? url.Substring(5, comma - 5) : string.Empty;
            string mime = header.Split(';')[0];
            MediaFormat? format = null;
            foreach (MediaFormat candidate in new[] { MediaFormat.Png, MediaFormat.Jpeg, MediaFormat.Gif, MediaFormat.Webp, MediaFormat.Bmp, MediaFormat.Tiff, MediaFormat.Heic })
            {
                if (string.Equals(candidate.Mime, mime, StringComparison.OrdinalIgnoreCase))
                {
                    format = candidate;
                }
            }

            if (comma < 0 || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase) || (kind == MediaKind.Image && !mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase)))
            {
                throw Error(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, url.Substring(0, Math.Min(url.Length, 30)),
                    "A data URL for " + Noun(kind) + " must look like " + (kind == MediaKind.Image ? "data:image/png;base64,…" : "data:;base64,…") + ".");
            }

            return new MediaInput(kind, url, format, null, (url.Length - comma - 1) / 4 * 3);
        }

        /// <summary>The format from the bytes (or, when they say nothing, the extension); it must be of <paramref name="kind"/>.</summary>
        private static MediaFormat Identify(string path, MediaKind kind)
        {
            var head = new byte[MediaFormat.HeadBytes];
            int read;
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
                {
                    read = stream.Read(head, 0, head.Length);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Error(QwenErrorIds.FileReadFailed, QwenErrorCategory.ReadError, path, "Cannot read '" + path + "': " + ex.Message, ex);
            }

            MediaFormat? format = MediaFormat.FromBytes(head, read) ?? MediaFormat.FromExtension(path);
            if (format == null)
            {
                throw Error(QwenErrorIds.UnsupportedFileType, QwenErrorCategory.InvalidData, path,
                    "Cannot tell what kind of file '" + Path.GetFileName(path) + "' is. Supported " + Noun(kind) + " files: " + MediaFormat.KnownExtensions(kind) + ".");
            }

            if (format.Kind != kind)
            {
                throw Error(QwenErrorIds.UnsupportedFileType, QwenErrorCategory.InvalidData, path,
                    "'" + Path.GetFileName(path) + "' is " + Article(format.Kind) + " " + Noun(format.Kind) + " file (" + format.Name + "), not " + Article(kind) + " " + Noun(kind)
                    + ". Pass it with -" + Parameter(format.Kind) + ".");
            }

            return format;
        }

        /// <summary>Both sides above 10 pixels, aspect ratio at most 200:1 (docs/dashscope-notes.md).</summary>
        private static void CheckImageSize(string name, string path, int width, int height)
        {
            if (width <= 10 || height <= 10 || Math.Max(width, height) > 200L * Math.Min(width, height))
            {
                throw Error(QwenErrorIds.MediaLimitExceeded, QwenErrorCategory.LimitsExceeded, path,
                    "The image '" + name + "' is " + width + "x" + height + " pixels; the service needs both sides larger than 10 pixels and an aspect ratio of at most 200:1.");
            }
        }

        internal static QwenException Error(string id, QwenErrorCategory category, object target, string message, Exception? inner = null) =>
            new QwenException(id, category, message, inner) { Target = target };

        internal static string Noun(MediaKind kind) => kind == MediaKind.Image ? "image" : kind == MediaKind.Audio ? "audio" : "video";

        internal static string Parameter(MediaKind kind) => kind == MediaKind.Image ? "Image" : kind == MediaKind.Audio ? "Audio" : "Video";

        private static string Article(MediaKind kind) => kind == MediaKind.Image ? "an" : kind == MediaKind.Audio ? "an" : "a";

        internal static string Size(long bytes) =>
            bytes >= 1024 * 1024
                ? (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
                : (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB";
    }
}
