using System;

namespace QwenPS
{
    /// <summary>
    /// One piece of a spoken answer (<c>delta.audio.data</c>), written to the pipeline with -Stream after it was
    /// decoded into the WAV file: how many bytes of PCM it carried, and how much audio the file holds so far.
    /// </summary>
    public sealed class QwenAudioChunk
    {
        internal QwenAudioChunk(int bytes, long totalBytes, TimeSpan duration, string path)
        {
            Bytes = bytes;
            TotalBytes = totalBytes;
            Duration = duration;
            Path = path;
        }

        /// <summary>PCM bytes this piece carried (16-bit mono at 24 kHz: 48,000 bytes a second).</summary>
        public int Bytes { get; }

        /// <summary>PCM bytes written to the file so far.</summary>
        public long TotalBytes { get; }

        /// <summary>Audio in the file so far.</summary>
        public TimeSpan Duration { get; }

        /// <summary>The WAV file being written.</summary>
        public string Path { get; }

        public override string ToString() => "audio " + Duration.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " s";
    }
}
