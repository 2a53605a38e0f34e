using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace QwenPS.Omni
{
    /// <summary>
    /// The checks that need the model: run on the whole conversation before any request, so a file the chosen
    /// model cannot take is refused with its limit named (docs/dashscope-notes.md, Qwen-Omni limits and voices).
    /// </summary>
    internal static class MediaRules
    {
        /// <summary>Checks the media of one user message (<paramref name="index"/> counts from 0) against the model.</summary>
        public static void CheckInput(string model, int index, IReadOnlyList<MediaInput> media)
        {
            if (media.Count == 0)
            {
                return;
            }

            bool omni = OmniModelInfo.IsOmni(model);
            MediaInput? audio = media.FirstOrDefault(m => m.Kind == MediaKind.Audio);
            if (audio != null && !omni)
            {
                throw MediaReader.Error(QwenErrorIds.AudioNotSupported, QwenErrorCategory.InvalidArgument, model,
                    "The model '" + model + "' does not take audio input (message " + (index + 1) + ": " + audio.DisplayName + "). Audio needs a Qwen-Omni model, such as qwen3-omni-flash.");
            }

            if (!omni)
            {
                return;
            }

            MediaKind[] kinds = media.Select(m => m.Kind).Distinct().ToArray();
            if (kinds.Length > 1)
            {
                throw MixedModalities(index + 1, kinds.Select(MediaReader.Noun));
            }

            OmniModelInfo? info = OmniModelInfo.Find(model);
            if (info == null)
            {
                return;
            }

            foreach (MediaInput input in media)
            {
                CheckLimits(info, model, index, input);
            }
        }

        /// <summary>"A user message holds text and at most one other modality" (docs/dashscope-notes.md).</summary>
        public static QwenException MixedModalities(int messageNumber, IEnumerable<string> kinds) =>
            MediaReader.Error(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "message " + messageNumber,
                "A user message holds text and at most one other modality (image, audio or video); message " + messageNumber + " has "
                + string.Join(" and ", kinds) + ". Put each in its own message.");

        /// <summary>Audio output: the model must speak, thinking must be off, and the voice must be the model's.
        /// Returns the voice spelled as the service spells it (null when none was given).</summary>
        public static string? CheckAudioOutput(string model, string? voice, bool thinking)
        {
            OmniModelInfo? info = OmniModelInfo.Find(model);
            if (!OmniModelInfo.IsOmni(model) || (info != null && !info.Speaks))
            {
                throw MediaReader.Error(QwenErrorIds.AudioNotSupported, QwenErrorCategory.InvalidArgument, model,
                    "The model '" + model + "' does not answer with audio. Use a Qwen-Omni model that speaks, such as qwen3-omni-flash, or -Modality Text.");
            }

            if (thinking)
            {
                throw MediaReader.Error(QwenErrorIds.AudioNotSupported, QwenErrorCategory.InvalidArgument, model,
                    "Audio output is not available in thinking mode. Leave out -EnableThinking, or use -Modality Text.");
            }

            if (voice == null || info == null)
            {
                return voice;
            }

            return info.MatchVoice(voice) ?? throw MediaReader.Error(QwenErrorIds.VoiceNotAvailable, QwenErrorCategory.InvalidArgument, voice,
                "The model '" + model + "' has no voice '" + voice + "'. Its voices: " + string.Join(", ", info.Voices) + ".");
        }

        private static void CheckLimits(OmniModelInfo info, string model, int index, MediaInput input)
        {
            string where = "message " + (index + 1) + ": " + input.DisplayName;
            if (input.Frames != null)
            {
                if (input.Frames.Count < info.MinFrames || input.Frames.Count > info.MaxFrames)
                {
                    throw Limit(model, where, "a video given as images must have " + info.MinFrames + " to " + info.MaxFrames + " frames on " + info.Family
                        + "; this one has " + input.Frames.Count + ".");
                }

                return;
            }

            (long bytes, TimeSpan? duration) = info.Limit(input.Kind);
            if (input.ByteLength is long length && length > bytes)
            {
                throw Limit(model, where, info.Family + " takes " + MediaReader.Noun(input.Kind) + " files up to " + MediaReader.Size(bytes)
                    + "; this one is " + MediaReader.Size(length) + ".");
            }

            if (duration is TimeSpan most && input.Duration is TimeSpan actual && actual > most)
            {
                throw Limit(model, where, info.Family + " takes " + MediaReader.Noun(input.Kind) + " up to " + Clock(most) + " long; this one is " + Clock(actual) + ".");
            }
        }

        private static QwenException Limit(string model, string where, string text) =>
            MediaReader.Error(QwenErrorIds.MediaLimitExceeded, QwenErrorCategory.LimitsExceeded, model, "Too large for " + model + " (" + where + "): " + text);

        /// <summary>"2 h 30 min", "20 min", "150 s", "3 min 5 s".</summary>
        internal static string Clock(TimeSpan span)
        {
            var parts = new List<string>();
            if (span.TotalHours >= 1)
            {
                parts.Add(((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + " h");
            }

            if (span.Minutes > 0)
            {
                parts.Add(span.Minutes.ToString(CultureInfo.InvariantCulture) + " min");
            }

            double seconds = span.Seconds + (span.Milliseconds / 1000.0);
            if (seconds > 0 || parts.Count == 0)
            {
                parts.Add(seconds.ToString("0.#", CultureInfo.InvariantCulture) + " s");
            }

            return string.Join(" ", parts);
        }
    }
}
