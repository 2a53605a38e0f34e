using System;
using System.Collections.Generic;
using QwenPS.TestServer.Chat;
using QwenPS.TestServer.Json;

namespace QwenPS.TestServer.Omni;

/// <summary>
/// The SSE chunks of an Omni answer, produced lazily: the role chunk, reasoning, then the text pieces with the
/// audio pieces (delta.audio.data) and transcript pieces (delta.audio.transcript) interleaved, the finish chunk and
/// the usage by modality. See Omni/README.md.
/// </summary>
internal sealed class OmniStream
{
    private enum Kind
    {
        Content,
        Transcript,
        Audio,
    }

    private readonly ChunkMeta _meta;
    private readonly ChatReply _reply;
    private readonly MediaRequest _media;
    private readonly AudioReply _audio;
    private readonly string _finishReason;
    private readonly bool _includeUsage;
    private readonly long _promptChars;
    private readonly List<(Kind Kind, int Index)> _plan = new();
    private readonly List<int> _pieceLengths = new();
    private readonly long _samples;

    public OmniStream(ChunkMeta meta, ChatReply reply, MediaRequest media, AudioReply? audio, string finishReason, bool includeUsage, long promptChars)
    {
        _meta = meta;
        _reply = reply;
        _media = media;
        _audio = audio ?? new AudioReply();
        _finishReason = finishReason;
        _includeUsage = includeUsage;
        _promptChars = promptChars;
        string[] text = reply.ContentChunks ?? [];
        int answerChars = 0;
        foreach (string piece in text)
        {
            answerChars += piece.Length;
        }

        _samples = media.WantsAudio ? _audio.SampleCount(answerChars) : 0;
        PlanAudioPieces();
        PlanInterleaving(text.Length);
    }

    /// <summary>Samples of PCM in the answer (0 without audio output).</summary>
    public long Samples => _samples;

    /// <summary>For <see cref="StreamOptions.CutAfterChunks"/>: the number of data events up to and including the
    /// n-th audio piece; null when there is no cut or fewer pieces.</summary>
    public int? CutAfterChunks()
    {
        if (_audio.CutAfterAudioPieces is not int n)
        {
            return null;
        }

        int first = 1 + (_reply.ReasoningChunks?.Length ?? 0);
        int seen = 0;
        for (int i = 0; i < _plan.Count; i++)
        {
            if (_plan[i].Kind == Kind.Audio && ++seen == n)
            {
                return first + i + 1;
            }
        }

        return n <= 0 ? first : null;
    }

    public TimeSpan ChunkDelay => _audio.ChunkDelay;

    public IEnumerable<string> Chunks()
    {
        bool hasReasoning = _reply.ReasoningChunks is { Length: > 0 };
        yield return ChatJson.RoleChunk(_meta, hasReasoning);
        foreach (string piece in _reply.ReasoningChunks ?? [])
        {
            yield return ChatJson.ReasoningChunk(_meta, piece);
        }

        var tone = new ToneSource(_audio, _samples);
        string audioId = "audio_" + _meta.Id.Replace("chatcmpl-", string.Empty, StringComparison.Ordinal);
        long expiresAt = _meta.Created + 86_400;
        string[] text = _reply.ContentChunks ?? [];
        foreach ((Kind kind, int index) in _plan)
        {
            switch (kind)
            {
                case Kind.Content:
                    yield return ChatJson.ContentChunk(_meta, text[index]);
                    break;
                case Kind.Transcript:
                    yield return AudioChunk(new JsonBuilder().BeginObject().Prop("transcript", text[index]).EndObject());
                    break;
                default:
                    string data = _audio.PaddedPieces
                        ? Convert.ToBase64String(tone.ReadBytes(_pieceLengths[index]))
                        : tone.ReadBase64(_pieceLengths[index]);
                    yield return AudioChunk(new JsonBuilder().BeginObject()
                        .Prop("data", data).Prop("expires_at", expiresAt).Prop("id", audioId).EndObject());
                    break;
            }
        }

        yield return ChatJson.FinishChunk(_meta, _finishReason);
        if (_includeUsage)
        {
            yield return UsageChunk();
        }
    }

    private void PlanAudioPieces()
    {
        if (_samples == 0)
        {
            return;
        }

        int[] cycle = _audio.PieceChars is { Length: > 0 } c ? c : AudioReply.DefaultPieceChars;
        long remaining = _audio.PaddedPieces ? _samples * 2 : (_samples * 2 + 2) / 3 * 4;
        for (int i = 0; remaining > 0; i++)
        {
            int length = (int)Math.Min(Math.Max(1, cycle[i % cycle.Length]), remaining);
            _pieceLengths.Add(length);
            remaining -= length;
        }
    }

    /// <summary>Text piece i, its transcript, then the audio pieces that fall before text piece i+1; the rest at the end.</summary>
    private void PlanInterleaving(int textPieces)
    {
        TranscriptMode mode = _media.WantsAudio ? _audio.Transcript : TranscriptMode.ContentOnly;
        int audioPieces = _pieceLengths.Count;
        int audioDone = 0;
        for (int i = 0; i < textPieces; i++)
        {
            if (mode != TranscriptMode.TranscriptOnly)
            {
                _plan.Add((Kind.Content, i));
            }

            if (mode != TranscriptMode.ContentOnly)
            {
                _plan.Add((Kind.Transcript, i));
            }

            int upTo = (int)((long)audioPieces * (i + 1) / (textPieces + 1));
            for (; audioDone < upTo; audioDone++)
            {
                _plan.Add((Kind.Audio, audioDone));
            }
        }

        for (; audioDone < audioPieces; audioDone++)
        {
            _plan.Add((Kind.Audio, audioDone));
        }
    }

    // {"choices":[{"delta":{"audio":{…}},"finish_reason":null,"index":0,"logprobs":null}],…}: no "content" key at all.
    private string AudioChunk(JsonBuilder audio)
    {
        var json = new JsonBuilder().BeginObject().BeginArray("choices").BeginObject()
            .BeginObject("delta").Name("audio").Raw(audio.ToString()).EndObject()
            .PropNull("finish_reason").Prop("index", 0).PropNull("logprobs")
            .EndObject().EndArray();
        return ChatJson.Tail(json, _meta);
    }

    /// <summary>Usage by modality: prompt text = characters of the text contents, media at the fixed
    /// MediaRequest.TokensPer* prices; completion text = characters produced, audio = seconds × the model's rate.</summary>
    private string UsageChunk()
    {
        int reasoning = 0;
        foreach (string piece in _reply.ReasoningChunks ?? [])
        {
            reasoning += piece.Length;
        }

        int content = 0;
        foreach (string piece in _reply.ContentChunks ?? [])
        {
            content += piece.Length;
        }

        long promptText = _promptChars;
        long audioIn = _media.Audios * (long)MediaRequest.TokensPerAudio;
        long image = _media.Images * (long)MediaRequest.TokensPerImage;
        long video = (_media.Frames * (long)MediaRequest.TokensPerFrame) + (_media.VideoFiles * (long)MediaRequest.TokensPerVideoFile);
        long prompt = promptText + audioIn + image + video;
        double rate = _media.Omni?.OutputAudioTokensPerSecond ?? 12.5;
        long audioOut = (long)Math.Ceiling(_samples / (double)AudioReply.SampleRate * rate);
        long completionText = content + reasoning;
        long completion = completionText + audioOut;

        var json = new JsonBuilder().BeginObject().BeginArray("choices").EndArray()
            .Prop("object", "chat.completion.chunk")
            .BeginObject("usage")
            .Prop("prompt_tokens", prompt)
            .Prop("completion_tokens", completion)
            .Prop("total_tokens", prompt + completion)
            .BeginObject("prompt_tokens_details")
            .Prop("text_tokens", promptText).Prop("audio_tokens", audioIn).Prop("image_tokens", image).Prop("video_tokens", video)
            .Prop("cached_tokens", 0)
            .EndObject()
            .BeginObject("completion_tokens_details")
            .Prop("audio_tokens", audioOut).Prop("text_tokens", completionText);
        if (reasoning > 0)
        {
            json.Prop("reasoning_tokens", reasoning);
        }

        return json.EndObject().EndObject()
            .Prop("created", _meta.Created)
            .PropNull("system_fingerprint")
            .Prop("model", _meta.Model)
            .Prop("id", _meta.Id)
            .EndObject()
            .ToString();
    }
}
