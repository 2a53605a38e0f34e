using System;

namespace QwenPS.Omni
{
    /// <summary>
    /// The spoken answer of a Qwen-Omni stream, decoded as it arrives into a WAV file: each <c>delta.audio.data</c>
    /// piece goes through the incremental base64 decoder straight to disk (docs/dashscope-notes.md, Qwen-Omni: raw PCM,
    /// 16-bit signed little-endian, mono, 24,000 Hz). Memory stays constant in the answer's length: one reusable
    /// buffer as large as the largest piece.
    /// </summary>
    internal sealed class AudioAnswerFile : IDisposable
    {
        public const int SampleRate = 24000;
        public const short Channels = 1;
        public const short BitsPerSample = 16;

        private readonly Base64StreamDecoder _decoder = new Base64StreamDecoder();
        private readonly WavFileWriter _wav;
        private byte[] _buffer = new byte[16 * 1024];

        public AudioAnswerFile(string path)
        {
            _wav = new WavFileWriter(path, SampleRate, Channels, BitsPerSample);
        }

        public string Path => _wav.Path;

        /// <summary>PCM bytes decoded so far.</summary>
        public long Bytes => _wav.DataBytes;

        public TimeSpan Duration => _wav.Duration;

        public bool IsComplete { get; private set; }

        /// <summary>True when the stream ended inside a quad or a sample (some audio could not be kept).</summary>
        public bool EndedMidway { get; private set; }

        /// <summary>Decodes one piece and appends it; returns the PCM bytes it carried.</summary>
        /// <exception cref="FormatException">The piece is not base64.</exception>
        public int Append(string base64)
        {
            int needed = Base64StreamDecoder.MaxBytes(base64.Length);
            if (needed > _buffer.Length)
            {
                _buffer = new byte[Math.Max(needed, _buffer.Length * 2)];
            }

            int count = _decoder.Decode(base64, 0, base64.Length, _buffer, 0);
            _wav.Write(_buffer, 0, count);
            return count;
        }

        /// <summary>Fixes the header up and closes the file: a valid WAV of the whole samples that arrived.
        /// Call at the end of a stream, and (through Dispose) whatever else ends it.</summary>
        public void Complete()
        {
            if (IsComplete)
            {
                return;
            }

            EndedMidway = _decoder.PendingChars != 0 || _wav.DataBytes % (Channels * BitsPerSample / 8) != 0;
            _decoder.Reset();
            _wav.Complete();
            IsComplete = true;
        }

        public void Dispose() => Complete();
    }
}
