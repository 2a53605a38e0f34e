using System;
using System.Collections.Generic;
using System.IO;
using QwenPS.Omni;

namespace QwenPS.Chat
{
    /// <summary>
    /// The multimodal side of a chat request, checked before anything is sent (docs/dashscope-notes.md, "Qwen-Omni"):
    /// every user message's media against the model's limits, and the spoken answer: -Modality Audio (or -AudioPath)
    /// needs a WAV path in an existing folder, a model that speaks, no thinking, and one of the model's voices.
    /// </summary>
    internal static class ChatMedia
    {
        public static void Prepare(ChatRequest request, Action<string> verbose)
        {
            MediaMessages.CheckConversation(request.Model, request.Messages);

            var modalities = (IReadOnlyList<string>?)request[ChatFields.Modality];
            var voice = (string?)request[ChatFields.Audio];
            bool audio = request.AudioPath != null || (modalities != null && Contains(modalities, "audio"));
            if (!audio)
            {
                if (voice != null)
                {
                    throw Invalid(voice, "-Voice is the voice of a spoken answer: add -Modality Text, Audio and -AudioPath.");
                }

                return;
            }

            if (request.AudioPath == null)
            {
                throw Invalid(request.Model, "A spoken answer (-Modality Audio) is written to a WAV file: add -AudioPath, for example -AudioPath ./answer.wav.");
            }

            string? folder = Path.GetDirectoryName(request.AudioPath);
            if (Directory.Exists(request.AudioPath) || (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder)))
            {
                throw new QwenException(QwenErrorIds.AudioFileFailed, QwenErrorCategory.WriteError,
                    "Cannot write the spoken answer to '" + request.AudioPath + "': " + (Directory.Exists(request.AudioPath) ? "it is a folder." : "its folder does not exist."))
                { Target = request.AudioPath };
            }

            string? matched = MediaRules.CheckAudioOutput(request.Model, string.IsNullOrEmpty(voice) ? null : voice, (bool?)request[ChatFields.EnableThinking] == true);
            request[ChatFields.Modality] = new[] { "text", "audio" };
            request[ChatFields.Audio] = matched ?? string.Empty;
            verbose("Spoken answer: voice " + (matched ?? "(the model's default)") + ", 24 kHz mono PCM written to " + request.AudioPath + " as it arrives.");
        }

        private static bool Contains(IReadOnlyList<string> list, string value)
        {
            foreach (string item in list)
            {
                if (item == value)
                {
                    return true;
                }
            }

            return false;
        }

        private static QwenException Invalid(object target, string message) =>
            new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, message) { Target = target };
    }
}
