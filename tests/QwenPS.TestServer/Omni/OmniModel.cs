using System;

namespace QwenPS.TestServer.Omni;

/// <summary>
/// What the test server knows about one Omni family (docs/dashscope-notes.md, Qwen-Omni: voices, frame counts,
/// per-file durations, audio token rates). Written independently of the client's own table.
/// </summary>
internal sealed record OmniModel(
    string Family,
    string[] Voices,
    int MinFrames,
    int MaxFrames,
    double MaxAudioSeconds,
    double MaxVideoSeconds,
    double OutputAudioTokensPerSecond,
    bool SpeaksAudio = true)
{
    private static readonly string[] TurboVoices = ["Cherry", "Serena", "Ethan", "Chelsie"];

    private static readonly string[] FlashVoices =
    [
        "Cherry", "Ethan", "Nofish", "Jennifer", "Ryan", "Katerina", "Elias", "Jada", "Dylan", "Sunny", "Li", "Marcus",
        "Roy", "Peter", "Rocky", "Kiki", "Eric",
    ];

    private static readonly string[] Flash1201Extra =
    [
        "Serena", "Chelsie", "Momo", "Vivian", "Moon", "Maia", "Kai", "Bella", "Aiden", "Mia", "Mochi", "Bellona",
        "Vincent", "Bunny", "Neil", "Arthur", "Nini", "Ebona", "Seren", "Pip", "Stella", "Bodega", "Sonrisa", "Alek",
        "Dolce", "Sohee", "Lenn", "Emilien", "Andre",
    ];

    private static readonly string[] Omni35Voices =
    [
        "Tina", "Cindy", "Liora Mira", "Sunnybobi", "Raymond", "Ethan", "Theo Calm", "Serena", "Harvey", "Maia", "Evan",
        "Qiao", "Momo", "Wil", "Angel", "Li Cassian", "Mia", "Joyner", "Gold", "Katerina", "Ryan", "Jennifer", "Aiden",
        "Mione", "Sunny", "Dylan", "Eric", "Peter", "Joseph Chen", "Marcus", "Li", "Rocky", "Sohee", "Lenn", "Ono Anna",
        "Sonrisa", "Bodega", "Emilien", "Andre", "Radio Gol", "Alek", "Rizky", "Roya", "Arda", "Hana", "Dolce", "Jakub",
        "Griet", "Eliska", "Marina", "Siiri", "Ingrid", "Sigga", "Bea", "Chloe",
    ];

    /// <summary>The family of an Omni model name, or null when the name is not an Omni model the server knows.</summary>
    public static OmniModel? Find(string model)
    {
        string m = model.ToLowerInvariant();
        if (m.StartsWith("qwen3.8-omni", StringComparison.Ordinal))
        {
            return new OmniModel("qwen3.8-omni", [], 2, 2048, 3 * 3600, 3600, 12.5, SpeaksAudio: false);
        }

        if (m.StartsWith("qwen3.5-omni", StringComparison.Ordinal))
        {
            return new OmniModel("qwen3.5-omni", Omni35Voices, 2, 2048, 3 * 3600, 3600, 12.5);
        }

        if (m.StartsWith("qwen3-omni-flash-2025-12-01", StringComparison.Ordinal))
        {
            return new OmniModel("qwen3-omni-flash-2025-12-01", [.. FlashVoices, .. Flash1201Extra], 2, 128, 20 * 60, 150, 12.5);
        }

        if (m.StartsWith("qwen3-omni-flash", StringComparison.Ordinal))
        {
            return new OmniModel("qwen3-omni-flash", FlashVoices, 2, 128, 20 * 60, 150, 12.5);
        }

        if (m.StartsWith("qwen-omni-turbo", StringComparison.Ordinal))
        {
            return new OmniModel("qwen-omni-turbo", TurboVoices, 4, 80, 3 * 60, 40, 25);
        }

        if (m.StartsWith("qwen2.5-omni", StringComparison.Ordinal))
        {
            return new OmniModel("qwen2.5-omni", ["Ethan", "Chelsie"], 4, 80, 3 * 60, 40, 25);
        }

        return null;
    }

    public static bool IsOmniName(string model) => model.Contains("omni", StringComparison.OrdinalIgnoreCase);

    /// <summary>The default voice when audio is asked for without one.</summary>
    public string DefaultVoice => Family == "qwen3.5-omni" ? "Tina" : Voices.Length > 0 ? Voices[0] : string.Empty;

    /// <summary>The service's wording for a voice the model does not have (docs/dashscope-notes.md, qwen-omni-turbo):
    /// "Input should be 'Cherry', 'Serena', 'Ethan' or 'Chelsie': parameters.audio.voice".</summary>
    public string VoiceError()
    {
        string[] quoted = Array.ConvertAll(Voices, v => "'" + v + "'");
        string list = quoted.Length == 1
            ? quoted[0]
            : string.Join(", ", quoted, 0, quoted.Length - 1) + " or " + quoted[^1];
        return "Input should be " + list + ": parameters.audio.voice";
    }
}
