using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace QwenPS.TestServer.Omni;

/// <summary>
/// The multimodal side of a /chat/completions body: content parts (image_url, input_audio, video, video_url),
/// data URLs, the Omni output settings (modalities, audio), checked like the service does (docs/dashscope-notes.md,
/// Qwen-Omni). <see cref="Check"/> returns the error message of the first problem, or null; the counts feed the
/// usage by modality.
/// </summary>
internal sealed class MediaRequest
{
    /// <summary>Token prices the test server charges per input item, so usage by modality is predictable.</summary>
    public const int TokensPerImage = 64;
    public const int TokensPerFrame = 64;
    public const int TokensPerVideoFile = 256;
    public const int TokensPerAudio = 128;

    /// <summary>The service's text for audio output without streaming (docs/dashscope-notes.md).</summary>
    public const string AudioNeedsStreamMessage = "'audio' output only support with stream=true";

    private MediaRequest(string model)
    {
        Model = model;
        Omni = OmniModel.Find(model);
        IsOmni = OmniModel.IsOmniName(model);
    }

    public string Model { get; }

    /// <summary>The known Omni family, or null (unknown Omni names get no per-model checks).</summary>
    public OmniModel? Omni { get; }

    public bool IsOmni { get; }

    public bool WantsAudio { get; private set; }

    /// <summary>The voice asked for (or the model's default); null without audio output.</summary>
    public string? Voice { get; private set; }

    public int Images { get; private set; }

    public int Frames { get; private set; }

    public int VideoFiles { get; private set; }

    public int Audios { get; private set; }

    public bool HasMedia => Images + Frames + VideoFiles + Audios > 0;

    public int MediaTokens => (Images * TokensPerImage) + (Frames * TokensPerFrame) + (VideoFiles * TokensPerVideoFile) + (Audios * TokensPerAudio);

    /// <summary>Parses and validates; <paramref name="error"/> is the first problem found, else null.</summary>
    public static MediaRequest From(JsonElement body, string model, bool stream, bool? enableThinking, out string? error)
    {
        var request = new MediaRequest(model);
        error = request.CheckMessages(body) ?? request.CheckOutput(body, stream, enableThinking);
        return request;
    }

    private string? CheckMessages(JsonElement body)
    {
        if (!body.TryGetProperty("messages", out JsonElement messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        int index = 0;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            string? error = CheckMessage(message, index++);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private string? CheckMessage(JsonElement message, int index)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string role = message.TryGetProperty("role", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : string.Empty;
        bool hasContent = message.TryGetProperty("content", out JsonElement content);
        if (role == "assistant" && IsOmni)
        {
            // History goes back as text only: never the audio of an earlier answer.
            if (message.TryGetProperty("audio", out _)
                || (hasContent && content.ValueKind == JsonValueKind.Array && content.EnumerateArray().Any(p => PartType(p) != "text")))
            {
                return "messages[" + index + "]: an assistant message must be text only; do not send the audio of earlier answers back.";
            }
        }

        if (!hasContent || content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var modalities = new HashSet<string>(StringComparer.Ordinal);
        int part = 0;
        foreach (JsonElement item in content.EnumerateArray())
        {
            string where = "messages[" + index + "].content[" + part++ + "]";
            (string? error, string? modality) = CheckPart(item, where);
            if (error is not null)
            {
                return error;
            }

            if (modality is not null)
            {
                modalities.Add(modality);
            }
        }

        if (IsOmni && role == "user" && modalities.Count > 1)
        {
            return "messages[" + index + "]: a user message may hold text and at most one other modality; got "
                + string.Join(" and ", modalities.OrderBy(m => m, StringComparer.Ordinal)) + ".";
        }

        return null;
    }

    /// <summary>Returns the error, or the part's non-text modality ("image", "audio", "video"; null for text).</summary>
    private (string? Error, string? Modality) CheckPart(JsonElement part, string where)
    {
        string? type = PartType(part);
        switch (type)
        {
            case "text":
                return part.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String
                    ? (null, null)
                    : (where + ": a text part needs a string 'text'.", null);

            case "image_url":
                Images++;
                return (CheckImage(Url(part, "image_url", "url"), where + ".image_url.url"), "image");

            case "input_audio":
                Audios++;
                return (CheckAudio(part, where), "audio");

            case "video_url":
                VideoFiles++;
                return (CheckVideoFile(Url(part, "video_url", "url"), where + ".video_url.url"), "video");

            case "video":
                return (CheckFrames(part, where), "video");

            default:
                return (where + ": unknown content part type '" + (type ?? "(none)") + "'. Supported: text, image_url, input_audio, video, video_url.", null);
        }
    }

    private static string? PartType(JsonElement part)
        => part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;

    private static string? Url(JsonElement part, string objectName, string property)
        => part.TryGetProperty(objectName, out JsonElement o) && o.ValueKind == JsonValueKind.Object
           && o.TryGetProperty(property, out JsonElement u) && u.ValueKind == JsonValueKind.String
            ? u.GetString()
            : null;

    /// <summary>An error, or null: then <paramref name="data"/> is the parsed data URL, or null for a plain URL.</summary>
    private static string? ParseUrl(string? url, string where, out DataUrl? data)
    {
        data = null;
        if (string.IsNullOrEmpty(url))
        {
            return where + " is required.";
        }

        return DataUrl.IsDataUrl(url) ? DataUrl.TryParse(url, out data) : null;
    }

    private static string? CheckImage(string? url, string where)
    {
        if (ParseUrl(url, where, out DataUrl? data) is string error)
        {
            return error;
        }

        if (data is null)
        {
            return null;
        }

        if (!data.Mime.StartsWith("image/", StringComparison.Ordinal))
        {
            return "Invalid data-uri item: the MIME type of an image must be image/*; got '" + data.Mime + "'.";
        }

        string declared = data.Mime.Substring("image/".Length) switch { "jpg" => "jpeg", "tif" => "tiff", string s => s };
        string? actual = MediaProbe.ImageType(data.Bytes);
        if (actual is not null && actual != declared)
        {
            return "Invalid data-uri item: the data is " + actual + " but the MIME type says " + data.Mime + ".";
        }

        if (actual is not null && MediaProbe.ImageSize(data.Bytes, actual) is (int w, int h))
        {
            if (w <= 10 || h <= 10)
            {
                return "The image is too small: both sides must be larger than 10 pixels (got " + w + "x" + h + ").";
            }

            if (Math.Max(w, h) > 200L * Math.Min(w, h))
            {
                return "The image aspect ratio must not exceed 200:1 (got " + w + "x" + h + ").";
            }
        }

        return null;
    }

    private string? CheckAudio(JsonElement part, string where)
    {
        if (!IsOmni)
        {
            return "The model " + Model + " does not support audio input (input_audio needs a Qwen-Omni model).";
        }

        if (ParseUrl(Url(part, "input_audio", "data"), where + ".input_audio.data", out DataUrl? data) is string error)
        {
            return error;
        }

        if (data is null)
        {
            return null;
        }

        string? format = part.GetProperty("input_audio").TryGetProperty("format", out JsonElement f) && f.ValueKind == JsonValueKind.String
            ? f.GetString()
            : null;
        if (data.Mime.Length > 0 && !data.Mime.StartsWith("audio/", StringComparison.Ordinal))
        {
            return "Invalid data-uri item: the MIME type of audio must be empty or audio/*; got '" + data.Mime + "'.";
        }

        string? container = MediaProbe.ContainerType(data.Bytes);
        if (format is not null && container is not null && container is "wav" or "mp3" && !string.Equals(format, container, StringComparison.OrdinalIgnoreCase))
        {
            return where + ".input_audio.format is '" + format + "' but the data is " + container + ".";
        }

        if (container == "wav" && MediaProbe.WavSeconds(data.Bytes) is double seconds && Omni is not null && seconds > Omni.MaxAudioSeconds)
        {
            return "The audio is too long: " + Omni.Family + " takes at most " + Seconds(Omni.MaxAudioSeconds) + " of audio per file (got " + Seconds(seconds) + ").";
        }

        return null;
    }

    private string? CheckVideoFile(string? url, string where)
    {
        if (ParseUrl(url, where, out DataUrl? data) is string error)
        {
            return error;
        }

        if (data is null)
        {
            return null;
        }

        if (data.Mime.Length > 0 && !data.Mime.StartsWith("video/", StringComparison.Ordinal))
        {
            return "Invalid data-uri item: the MIME type of a video must be empty or video/*; got '" + data.Mime + "'.";
        }

        if (MediaProbe.ContainerType(data.Bytes) == "mp4" && MediaProbe.Mp4Seconds(data.Bytes) is double seconds
            && Omni is not null && seconds > Omni.MaxVideoSeconds)
        {
            return "The video is too long: " + Omni.Family + " takes at most " + Seconds(Omni.MaxVideoSeconds) + " of video per file (got " + Seconds(seconds) + ").";
        }

        return null;
    }

    private string? CheckFrames(JsonElement part, string where)
    {
        if (!part.TryGetProperty("video", out JsonElement frames) || frames.ValueKind != JsonValueKind.Array
            || frames.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            return where + ": a video part needs 'video', an array of image URLs.";
        }

        int count = frames.GetArrayLength();
        Frames += count;
        if (Omni is not null && (count < Omni.MinFrames || count > Omni.MaxFrames))
        {
            return "The number of video frames must be between " + Omni.MinFrames + " and " + Omni.MaxFrames + " for " + Omni.Family + " (got " + count + ").";
        }

        int i = 0;
        foreach (JsonElement frame in frames.EnumerateArray())
        {
            if (CheckImage(frame.GetString(), where + ".video[" + i++ + "]") is string error)
            {
                return error;
            }
        }

        return null;
    }

    private string? CheckOutput(JsonElement body, bool stream, bool? enableThinking)
    {
        if (!body.TryGetProperty("modalities", out JsonElement modalities) || modalities.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (modalities.ValueKind != JsonValueKind.Array || modalities.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String))
        {
            return "modalities must be an array of strings: [\"text\"] or [\"text\",\"audio\"].";
        }

        string[] values = modalities.EnumerateArray().Select(m => m.GetString()!).ToArray();
        if (values.Any(v => v is not ("text" or "audio")) || !values.Contains("text"))
        {
            return "modalities must be [\"text\"] or [\"text\",\"audio\"]; got [" + string.Join(",", values.Select(v => "\"" + v + "\"")) + "].";
        }

        WantsAudio = values.Contains("audio");
        if (!WantsAudio)
        {
            return null;
        }

        if (!IsOmni || Omni is { SpeaksAudio: false })
        {
            return "The model " + Model + " does not support audio output.";
        }

        if (!stream)
        {
            return AudioNeedsStreamMessage;
        }

        if (enableThinking == true)
        {
            return "Audio output is not supported in thinking mode: set enable_thinking to false or modalities to [\"text\"].";
        }

        string? voice = null;
        if (body.TryGetProperty("audio", out JsonElement audio) && audio.ValueKind == JsonValueKind.Object)
        {
            if (audio.TryGetProperty("format", out JsonElement format) && !(format.ValueKind == JsonValueKind.String && format.GetString() == "wav"))
            {
                return "Input should be 'wav': parameters.audio.format";
            }

            if (audio.TryGetProperty("voice", out JsonElement v))
            {
                voice = v.ValueKind == JsonValueKind.String ? v.GetString() : string.Empty;
            }
        }

        if (Omni is not null && voice is not null && !Omni.Voices.Contains(voice, StringComparer.Ordinal))
        {
            return Omni.VoiceError();
        }

        Voice = voice ?? Omni?.DefaultVoice ?? "Cherry";
        return null;
    }

    private static string Seconds(double seconds) => seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
