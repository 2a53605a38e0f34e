using System;
using System.Collections.Generic;

namespace QwenPS.Omni
{
    /// <summary>
    /// What QwenPS knows of one Qwen-Omni family (docs/dashscope-notes.md, Qwen-Omni): its voices, the frame counts of
    /// a <c>video</c> part, the per-file limits, whether it speaks. <see cref="Find"/> maps a model name to
    /// its family; unknown Omni names get no per-model checks (the service still has the last word).
    /// </summary>
    internal sealed class OmniModelInfo
    {
        private const long MB = 1024L * 1024L;

        private static readonly string[] TurboVoices = { "Cherry", "Serena", "Ethan", "Chelsie" };

        private static readonly string[] FlashVoices =
        {
            "Cherry", "Ethan", "Nofish", "Jennifer", "Ryan", "Katerina", "Elias", "Jada", "Dylan", "Sunny", "Li", "Marcus",
            "Roy", "Peter", "Rocky", "Kiki", "Eric",
        };

        private static readonly string[] Flash1201Voices = Join(FlashVoices, new[]
        {
            "Serena", "Chelsie", "Momo", "Vivian", "Moon", "Maia", "Kai", "Bella", "Aiden", "Mia", "Mochi", "Bellona",
            "Vincent", "Bunny", "Neil", "Arthur", "Nini", "Ebona", "Seren", "Pip", "Stella", "Bodega", "Sonrisa", "Alek",
            "Dolce", "Sohee", "Lenn", "Emilien", "Andre",
        });

        private static readonly string[] Omni35Voices =
        {
            "Tina", "Cindy", "Liora Mira", "Sunnybobi", "Raymond", "Ethan", "Theo Calm", "Serena", "Harvey", "Maia", "Evan",
            "Qiao", "Momo", "Wil", "Angel", "Li Cassian", "Mia", "Joyner", "Gold", "Katerina", "Ryan", "Jennifer", "Aiden",
            "Mione", "Sunny", "Dylan", "Eric", "Peter", "Joseph Chen", "Marcus", "Li", "Rocky", "Sohee", "Lenn", "Ono Anna",
            "Sonrisa", "Bodega", "Emilien", "Andre", "Radio Gol", "Alek", "Rizky", "Roya", "Arda", "Hana", "Dolce", "Jakub",
            "Griet", "Eliska", "Marina", "Siiri", "Ingrid", "Sigga", "Bea", "Chloe",
        };

        private static readonly OmniModelInfo[] Families =
        {
            // Most specific prefix first. qwen3.8-omni answers in text only; its file limits are not published, so
            // the newest published family's are assumed.
            new OmniModelInfo("qwen3.8-omni", new string[0], 2, 2048, Limits(2048 * MB, 3600, 2048 * MB, 3 * 3600, 20 * MB), speaks: false),
            new OmniModelInfo("qwen3.5-omni", Omni35Voices, 2, 2048, Limits(2048 * MB, 3600, 2048 * MB, 3 * 3600, 20 * MB), speaks: true),
            new OmniModelInfo("qwen3-omni-flash-2025-12-01", Flash1201Voices, 2, 128, Limits(256 * MB, 150, 100 * MB, 20 * 60, 10 * MB), speaks: true),
            new OmniModelInfo("qwen3-omni-flash", FlashVoices, 2, 128, Limits(256 * MB, 150, 100 * MB, 20 * 60, 10 * MB), speaks: true),
            new OmniModelInfo("qwen-omni-turbo", TurboVoices, 4, 80, Limits(150 * MB, 40, 10 * MB, 3 * 60, 10 * MB), speaks: true),
            new OmniModelInfo("qwen2.5-omni", new[] { "Ethan", "Chelsie" }, 4, 80, Limits(150 * MB, 40, 10 * MB, 3 * 60, 10 * MB), speaks: true),
        };

        private readonly Dictionary<MediaKind, (long Bytes, TimeSpan? Duration)> _limits;

        private OmniModelInfo(string family, string[] voices, int minFrames, int maxFrames,
            Dictionary<MediaKind, (long, TimeSpan?)> limits, bool speaks)
        {
            Family = family;
            Voices = voices;
            MinFrames = minFrames;
            MaxFrames = maxFrames;
            _limits = limits;
            Speaks = speaks;
        }

        /// <summary>The name prefix of the family, e.g. "qwen3-omni-flash".</summary>
        public string Family { get; }

        public IReadOnlyList<string> Voices { get; }

        public int MinFrames { get; }

        public int MaxFrames { get; }

        /// <summary>False for the text-only Omni models (qwen3.8-omni).</summary>
        public bool Speaks { get; }

        /// <summary>All Omni model names QwenPS suggests, for tab completion.</summary>
        public static readonly IReadOnlyList<string> KnownModels = new[]
        {
            "qwen3.5-omni-plus", "qwen3.5-omni-flash", "qwen3-omni-flash", "qwen3-omni-flash-2025-12-01", "qwen3-omni-flash-2025-09-15",
            "qwen-omni-turbo", "qwen-omni-turbo-latest", "qwen2.5-omni-7b",
        };

        public static bool IsOmni(string model) => model.IndexOf("omni", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>Vision models: images (and videos) through the same parameters, no audio.</summary>
        public static bool IsVision(string model)
        {
            string m = model.Trim().ToLowerInvariant();
            return m.StartsWith("qwen-vl", StringComparison.Ordinal) || m.StartsWith("qwen3-vl", StringComparison.Ordinal)
                || m.StartsWith("qwen2.5-vl", StringComparison.Ordinal) || m.StartsWith("qvq", StringComparison.Ordinal);
        }

        /// <summary>The family of <paramref name="model"/>, or null for a name that is not a known Omni model.</summary>
        public static OmniModelInfo? Find(string? model)
        {
            if (model == null)
            {
                return null;
            }

            string m = model.Trim().ToLowerInvariant();
            foreach (OmniModelInfo family in Families)
            {
                if (m.StartsWith(family.Family, StringComparison.Ordinal))
                {
                    return family;
                }
            }

            return null;
        }

        /// <summary>The voice spelled as the table spells it (voices are case-sensitive on the wire), or null.</summary>
        public string? MatchVoice(string voice)
        {
            foreach (string known in Voices)
            {
                if (string.Equals(known, voice.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return known;
                }
            }

            return null;
        }

        /// <summary>Voices starting with <paramref name="prefix"/> (quotes ignored, case-insensitive): the model's, in table
        /// order, or those of every family when the model is unknown or not given.</summary>
        public static IEnumerable<string> CompleteVoice(string? model, string? prefix)
        {
            string start = (prefix ?? string.Empty).Trim('\'', '"');
            OmniModelInfo? info = Find(model);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (OmniModelInfo family in info != null ? new[] { info } : Families)
            {
                foreach (string voice in family.Voices)
                {
                    if (voice.StartsWith(start, StringComparison.OrdinalIgnoreCase) && seen.Add(voice))
                    {
                        yield return voice;
                    }
                }
            }
        }

        /// <summary>The per-file limit of a kind: bytes and, for audio and video, duration.</summary>
        public (long Bytes, TimeSpan? Duration) Limit(MediaKind kind) => _limits[kind];

        private static Dictionary<MediaKind, (long, TimeSpan?)> Limits(long videoBytes, int videoSeconds, long audioBytes, int audioSeconds, long imageBytes) =>
            new Dictionary<MediaKind, (long, TimeSpan?)>
            {
                [MediaKind.Video] = (videoBytes, TimeSpan.FromSeconds(videoSeconds)),
                [MediaKind.Audio] = (audioBytes, TimeSpan.FromSeconds(audioSeconds)),
                [MediaKind.Image] = (imageBytes, null),
            };

        private static string[] Join(string[] a, string[] b)
        {
            var all = new string[a.Length + b.Length];
            a.CopyTo(all, 0);
            b.CopyTo(all, a.Length);
            return all;
        }
    }
}
