using System;
using System.IO;

namespace QwenPS.Omni
{
    /// <summary>
    /// Writes a PCM WAV file as the audio arrives: the 44-byte header first (sizes unknown yet: 0xFFFFFFFF, which
    /// readers of streamed WAV take as "to the end of the file"), then the samples, then the two sizes fixed up on
    /// <see cref="Complete"/>. Whatever ends the stream, a completed file is a valid WAV of the whole samples that
    /// arrived (an odd trailing byte, half a sample, is dropped). Memory: the FileStream's buffer only.
    /// </summary>
    internal sealed class WavFileWriter : IDisposable
    {
        public const int HeaderBytes = 44;

        private readonly FileStream _file;
        private readonly int _sampleRate;
        private readonly short _channels;
        private readonly short _bitsPerSample;
        private bool _completed;

        public WavFileWriter(string path, int sampleRate, short channels, short bitsPerSample)
        {
            Path = path;
            _sampleRate = sampleRate;
            _channels = channels;
            _bitsPerSample = bitsPerSample;
            _file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 64 * 1024);
            WriteHeader(uint.MaxValue, uint.MaxValue);
        }

        public string Path { get; }

        /// <summary>PCM bytes written so far (may end in half a sample until <see cref="Complete"/>).</summary>
        public long DataBytes { get; private set; }

        public int BlockAlign => _channels * _bitsPerSample / 8;

        /// <summary>Whole sample frames written so far.</summary>
        public long Frames => DataBytes / BlockAlign;

        public TimeSpan Duration => TimeSpan.FromTicks(Frames * TimeSpan.TicksPerSecond / _sampleRate);

        public void Write(byte[] buffer, int offset, int count)
        {
            if (_completed)
            {
                throw new InvalidOperationException("The WAV file is already complete.");
            }

            if (HeaderBytes + DataBytes + count > uint.MaxValue)
            {
                throw new IOException("The audio answer is larger than a WAV file can hold (4 GB).");
            }

            _file.Write(buffer, offset, count);
            DataBytes += count;
        }

        /// <summary>Drops half a trailing sample, writes the real sizes and closes the file. Safe to call twice.</summary>
        public void Complete()
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            try
            {
                long whole = Frames * BlockAlign;
                if (whole != DataBytes)
                {
                    _file.SetLength(HeaderBytes + whole);
                    DataBytes = whole;
                }

                _file.Position = 0;
                WriteHeader((uint)(HeaderBytes - 8 + DataBytes), (uint)DataBytes);
                _file.Flush();
            }
            finally
            {
                _file.Dispose();
            }
        }

        /// <summary>Completes the file (a valid WAV of what arrived).</summary>
        public void Dispose() => Complete();

        private void WriteHeader(uint riffSize, uint dataSize)
        {
            var header = new byte[HeaderBytes];
            Ascii(header, 0, "RIFF");
            UInt32(header, 4, riffSize);
            Ascii(header, 8, "WAVE");
            Ascii(header, 12, "fmt ");
            UInt32(header, 16, 16);
            UInt16(header, 20, 1);                                  // PCM
            UInt16(header, 22, (ushort)_channels);
            UInt32(header, 24, (uint)_sampleRate);
            UInt32(header, 28, (uint)(_sampleRate * BlockAlign));   // byte rate
            UInt16(header, 32, (ushort)BlockAlign);
            UInt16(header, 34, (ushort)_bitsPerSample);
            Ascii(header, 36, "data");
            UInt32(header, 40, dataSize);
            _file.Write(header, 0, header.Length);
        }

        private static void Ascii(byte[] b, int at, string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                b[at + i] = (byte)s[i];
            }
        }

        private static void UInt16(byte[] b, int at, ushort v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
        }

        private static void UInt32(byte[] b, int at, uint v)
        {
            for (int i = 0; i < 4; i++)
            {
                b[at + i] = (byte)(v >> (8 * i));
            }
        }
    }
}
