using System;
using System.Linq;
using System.Text.Json;

namespace QwenPS.TestServer.Control;

/// <summary>The properties of <c>{"kind":"audio","seconds":2,…}</c> (Omni/README.md); the caller checks for unknown ones.</summary>
internal static class AudioReplyJson
{
    public static AudioReply Parse(BehaviorJson.Spec spec)
    {
        var audio = new AudioReply
        {
            Seconds = spec.Element("seconds") is JsonElement s
                ? (s.ValueKind == JsonValueKind.Number ? s.GetDouble() : throw new BehaviorSpecException("'seconds' must be a number."))
                : null,
            PaddedPieces = spec.Bool("paddedPieces") ?? false,
            CutAfterAudioPieces = spec.Int("cutAfterAudioPieces"),
            ChunkDelay = TimeSpan.FromMilliseconds(spec.Int("chunkDelayMs") ?? 0),
            PieceChars = spec.Element("pieceChars") is JsonElement p ? Lengths(p) : null,
        };
        if (spec.Int("toneHz") is int hz)
        {
            audio = audio with { ToneHz = hz };
        }

        if (spec.Int("amplitude") is int amplitude)
        {
            audio = audio with { Amplitude = amplitude };
        }

        if (spec.String("transcript") is string transcript)
        {
            audio = audio with
            {
                Transcript = Enum.TryParse(transcript, ignoreCase: true, out TranscriptMode mode)
                    ? mode
                    : throw new BehaviorSpecException("'transcript' must be one of: both, contentOnly, transcriptOnly."),
            };
        }

        return audio;
    }

    private static int[] Lengths(JsonElement lengths)
    {
        if (lengths.ValueKind != JsonValueKind.Array || lengths.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int n) || n < 1))
        {
            throw new BehaviorSpecException("'pieceChars' must be an array of positive integers.");
        }

        return lengths.EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }
}
