using System;
using System.Collections.Generic;

namespace QwenPS.Omni
{
    /// <summary>
    /// One image, audio or video of a user message, ready to send: <see cref="Url"/> is a public URL (passed through
    /// as given) or a data URL made from a local file. What the file told about itself (size, duration, pixels) is
    /// kept so that the limits of the model chosen later can be checked before any request.
    /// </summary>
    internal sealed class MediaInput
    {
        public MediaInput(MediaKind kind, string? url, MediaFormat? format, string? sourcePath, long? byteLength,
            TimeSpan? duration = null, (int Width, int Height)? size = null, IReadOnlyList<MediaInput>? frames = null)
        {
            Kind = kind;
            Url = url;
            Format = format;
            SourcePath = sourcePath;
            ByteLength = byteLength;
            Duration = duration;
            Size = size;
            Frames = frames;
        }

        public MediaKind Kind { get; }

        /// <summary>The URL or data URL; null for a video given as frames.</summary>
        public string? Url { get; }

        /// <summary>The format, when the bytes or the name tell it.</summary>
        public MediaFormat? Format { get; }

        /// <summary>The local file it came from; null for a URL.</summary>
        public string? SourcePath { get; }

        /// <summary>The file's size in bytes; null for a URL.</summary>
        public long? ByteLength { get; }

        public TimeSpan? Duration { get; }

        public (int Width, int Height)? Size { get; }

        /// <summary>For a video given as images: the frames, in order.</summary>
        public IReadOnlyList<MediaInput>? Frames { get; }

        public bool IsDataUrl => Url != null && Url.StartsWith("data:", StringComparison.OrdinalIgnoreCase);

        /// <summary>How the input is named in messages: the file name, or the URL (data URLs shortened).</summary>
        public string DisplayName =>
            SourcePath != null ? System.IO.Path.GetFileName(SourcePath)
            : Frames != null ? Frames.Count + " frames"
            : IsDataUrl ? Url!.Substring(0, Math.Min(Url.Length, 30)) + "…"
            : Url ?? string.Empty;
    }
}
