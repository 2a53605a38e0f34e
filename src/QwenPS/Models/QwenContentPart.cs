using System;
using System.Collections.Generic;

namespace QwenPS
{
    /// <summary>
    /// One part of a multimodal message: text, an image, audio, a video file, or a video as frames
    /// (docs/dashscope-notes.md, "Content parts"). Any part may carry the explicit cache marker.
    /// </summary>
    public sealed class QwenContentPart
    {
        private static readonly IReadOnlyList<string> NoFrames = new string[0];

        private QwenContentPart(QwenContentPartKind kind, string? text, string? url, string? format, IReadOnlyList<string>? frames, string? cacheControl)
        {
            KindValue = kind;
            Text = text;
            Url = url;
            Format = format;
            Frames = frames ?? NoFrames;
            CacheControl = cacheControl;
        }

        /// <summary>Text, Image, Audio, Video or VideoFrames: text, so that parts export as they read.</summary>
        public string Kind => KindValue.ToString();

        internal QwenContentPartKind KindValue { get; }

        /// <summary>The text of a <see cref="QwenContentPartKind.Text"/> part; null for the others.</summary>
        public string? Text { get; }

        /// <summary>The https or data URL of an image, audio or video part.</summary>
        public string? Url { get; }

        /// <summary>The container format of an audio part (<c>mp3</c>, <c>wav</c>...).</summary>
        public string? Format { get; }

        /// <summary>The frame image URLs of a <see cref="QwenContentPartKind.VideoFrames"/> part, in order.</summary>
        public IReadOnlyList<string> Frames { get; }

        /// <summary>The explicit cache marker's type (<c>ephemeral</c>), or null for none.</summary>
        public string? CacheControl { get; }

        internal const string EphemeralCache = "ephemeral";

        internal static QwenContentPart FromText(string text) => new QwenContentPart(QwenContentPartKind.Text, Required(text, nameof(text)), null, null, null, null);

        internal static QwenContentPart FromImage(string url) => new QwenContentPart(QwenContentPartKind.Image, null, Required(url, nameof(url)), null, null, null);

        internal static QwenContentPart FromAudio(string url, string format) => new QwenContentPart(QwenContentPartKind.Audio, null, Required(url, nameof(url)), Required(format, nameof(format)), null, null);

        internal static QwenContentPart FromVideo(string url) => new QwenContentPart(QwenContentPartKind.Video, null, Required(url, nameof(url)), null, null, null);

        internal static QwenContentPart FromVideoFrames(IReadOnlyList<string> frames) =>
            new QwenContentPart(QwenContentPartKind.VideoFrames, null, null, null, frames.Count > 0 ? frames : throw new ArgumentException("A video needs frames.", nameof(frames)), null);

        /// <summary>The same part, marked for the explicit context cache.</summary>
        internal QwenContentPart WithCache() => new QwenContentPart(KindValue, Text, Url, Format, Frames, EphemeralCache);

        /// <summary>The same part without a cache marker (a request keeps only the last four markers).</summary>
        internal QwenContentPart WithoutCache() => new QwenContentPart(KindValue, Text, Url, Format, Frames, null);

        public override string ToString() => KindValue == QwenContentPartKind.Text ? Text ?? string.Empty
            : KindValue == QwenContentPartKind.VideoFrames ? "video: " + Frames.Count + " frame(s)"
            : Kind.ToString().ToLowerInvariant() + ": " + Url;

        private static string Required(string value, string name) => value ?? throw new ArgumentNullException(name);
    }
}
