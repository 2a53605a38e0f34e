using System;

namespace QwenPS.TestServer;

/// <summary>Where the text of an Omni answer with audio travels.</summary>
public enum TranscriptMode
{
    /// <summary>delta.content carries the text and delta.audio.transcript repeats it (a client must not double it).</summary>
    Both,

    /// <summary>delta.content only (the 2026 documents).</summary>
    ContentOnly,

    /// <summary>delta.audio.transcript only (older qwen-omni-turbo samples); no delta.content text.</summary>
    TranscriptOnly,
}

/// <summary>
/// The spoken part of an Omni answer (<c>"modalities":["text","audio"]</c>): a sine tone as raw PCM, 16-bit
/// signed little-endian, mono, 24,000 Hz, base64 in <c>delta.audio.data</c>. Sample k is
/// <see cref="Sample(long, int, int)"/>. Queue with <see cref="OmniBehaviors.Audio(AudioReply)"/>; without a
/// behaviour an Omni request with audio output gets <c>new AudioReply()</c>.
/// </summary>
public sealed record AudioReply
{
    public const int SampleRate = 24_000;

    /// <summary>The default base64 piece lengths, used in turn: every remainder mod 4 (quads split) and mod 8/3
    /// (samples split), tiny pieces next to large ones.</summary>
    public static readonly int[] DefaultPieceChars = [4097, 1, 2, 3, 6142, 5, 7, 10923, 4, 8190, 6, 2731];

    /// <summary>Length of the answer's audio. Null = 0.1 s per character of the answer text.</summary>
    public double? Seconds { get; init; }

    public int ToneHz { get; init; } = 440;

    public int Amplitude { get; init; } = 8000;

    /// <summary>Lengths of the successive delta.audio.data pieces, used in turn (null = <see cref="DefaultPieceChars"/>).
    /// In the default mode they are base64 characters of one continuous base64 text (pieces end inside quads, and the
    /// quads end inside samples); with <see cref="PaddedPieces"/> they are PCM bytes per piece.</summary>
    public int[]? PieceChars { get; init; }

    /// <summary>Each piece is its own base64 text (with '=' padding) of the next PieceChars[i] PCM bytes.</summary>
    public bool PaddedPieces { get; init; }

    public TranscriptMode Transcript { get; init; } = TranscriptMode.Both;

    /// <summary>Abort the connection right after this many audio pieces (a cut stream: no finish, no [DONE]).</summary>
    public int? CutAfterAudioPieces { get; init; }

    /// <summary>Delay before every data event.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Sample k of the tone: round(amplitude · sin(2π · hz · k / 24000)).</summary>
    public static short Sample(long k, int hz = 440, int amplitude = 8000)
        => (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * hz * (double)k / SampleRate));

    /// <summary>Samples of an answer: Seconds · 24000 rounded, or 2400 per answer character.</summary>
    public long SampleCount(int answerChars)
        => Seconds is double s ? (long)Math.Round(s * SampleRate) : 2400L * answerChars;
}
