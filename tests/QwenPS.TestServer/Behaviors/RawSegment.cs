using System;
using System.Linq;
using System.Text;

namespace QwenPS.TestServer;

/// <summary>One step of <see cref="ServerBehavior.RawStream(RawSegment[])"/>. Every segment is written and flushed on its
/// own, so consecutive segments reach the client as separate network writes.</summary>
public sealed class RawSegment
{
    private RawSegment(RawSegmentKind kind, byte[]? data = null, TimeSpan delay = default, int repeat = 1)
    {
        Kind = kind;
        Data = data;
        DelayValue = delay;
        RepeatCount = repeat;
    }

    internal RawSegmentKind Kind { get; }

    internal byte[]? Data { get; }

    internal TimeSpan DelayValue { get; }

    internal int RepeatCount { get; }

    /// <summary>Writes the UTF-8 bytes of <paramref name="text"/> (no line ending is added).</summary>
    public static RawSegment Text(string text) => new(RawSegmentKind.Bytes, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes these bytes exactly (e.g. half of a multi-byte UTF-8 character).</summary>
    public static RawSegment Bytes(byte[] bytes) => new(RawSegmentKind.Bytes, bytes.ToArray());

    /// <summary>Writes the UTF-8 bytes of <paramref name="text"/> <paramref name="count"/> times, in network writes
    /// of about 64 KB (for 10 MB lines without building a 10 MB string).</summary>
    public static RawSegment Repeat(string text, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new(RawSegmentKind.Bytes, Encoding.UTF8.GetBytes(text), repeat: count);
    }

    /// <summary>Waits (ends early if the client goes away).</summary>
    public static RawSegment Delay(TimeSpan delay) => new(RawSegmentKind.Delay, delay: delay);

    /// <summary>Explicit flush (every segment is flushed anyway; kept for readability of test scripts).</summary>
    public static RawSegment Flush() => new(RawSegmentKind.Flush);

    /// <summary>Aborts the connection (the client sees a truncated chunked body / connection reset).</summary>
    public static RawSegment Abort() => new(RawSegmentKind.Abort);

    public override string ToString() => Kind switch
    {
        RawSegmentKind.Bytes => $"Bytes({Data?.Length ?? 0} x {RepeatCount})",
        RawSegmentKind.Delay => $"Delay({DelayValue.TotalMilliseconds} ms)",
        _ => Kind.ToString(),
    };
}

internal enum RawSegmentKind
{
    Bytes,
    Delay,
    Flush,
    Abort,
}
