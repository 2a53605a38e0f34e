using System;
using System.Text;

namespace QwenPS.TestServer.Omni;

/// <summary>
/// Produces the tone's PCM and its base64 lazily, a few KB at a time, so a 30-minute answer (86 MB of PCM) streams
/// in constant memory.
/// </summary>
internal sealed class ToneSource
{
    private const int BlockBytes = 3 * 4096;

    private readonly AudioReply _audio;
    private readonly long _totalBytes;
    private readonly StringBuilder _pending = new();
    private long _nextByte;

    public ToneSource(AudioReply audio, long samples)
    {
        _audio = audio;
        _totalBytes = samples * 2;
    }

    public long TotalBytes => _totalBytes;

    /// <summary>Characters of the continuous base64 text of all the PCM.</summary>
    public long TotalBase64Chars => (_totalBytes + 2) / 3 * 4;

    public bool HasMore => _nextByte < _totalBytes || _pending.Length > 0;

    /// <summary>The next PCM bytes (fewer at the end).</summary>
    public byte[] ReadBytes(int count)
    {
        int n = (int)Math.Min(count, _totalBytes - _nextByte);
        var bytes = new byte[n];
        for (int i = 0; i < n; i++, _nextByte++)
        {
            short sample = AudioReply.Sample(_nextByte / 2, _audio.ToneHz, _audio.Amplitude);
            bytes[i] = (_nextByte & 1) == 0 ? (byte)(sample & 0xFF) : (byte)((sample >> 8) & 0xFF);
        }

        return bytes;
    }

    /// <summary>The next characters of the one continuous base64 text (padding only at its very end).</summary>
    public string ReadBase64(int chars)
    {
        while (_pending.Length < chars && _nextByte < _totalBytes)
        {
            _pending.Append(Convert.ToBase64String(ReadBytes(BlockBytes)));
        }

        int n = Math.Min(chars, _pending.Length);
        string piece = _pending.ToString(0, n);
        _pending.Remove(0, n);
        return piece;
    }
}
