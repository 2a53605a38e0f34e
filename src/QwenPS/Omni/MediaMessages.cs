using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace QwenPS.Omni
{
    /// <summary>
    /// Messages with media: New-QwenMessage builds them from <see cref="MediaInput"/>s (media parts first, then the
    /// text, as in the service's samples); Invoke-QwenChat checks a conversation's media against the model and can
    /// drop the media of earlier turns. What a file told about itself stays attached to its part (a weak table, so
    /// the public part type carries no engine type), for the checks that need the model.
    /// </summary>
    internal static class MediaMessages
    {
        private static readonly ConditionalWeakTable<QwenContentPart, MediaInput> Sources = new ConditionalWeakTable<QwenContentPart, MediaInput>();

        /// <summary>A user message of <paramref name="media"/> parts and then the text.</summary>
        public static QwenMessage Create(QwenRole role, string content, IReadOnlyList<MediaInput> media)
        {
            if (role != QwenRole.User)
            {
                throw MediaReader.Error(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, role,
                    "Images, audio and video go in user messages; this message's role is " + role + ".");
            }

            var kinds = new List<string>();
            foreach (MediaInput input in media)
            {
                string noun = MediaReader.Noun(input.Kind);
                if (!kinds.Contains(noun))
                {
                    kinds.Add(noun);
                }
            }

            if (kinds.Count > 1)
            {
                throw MediaRules.MixedModalities(1, kinds);
            }

            var parts = new List<QwenContentPart>(media.Count + 1);
            foreach (MediaInput input in media)
            {
                QwenContentPart part = ToPart(input);
                Sources.Add(part, input);
                parts.Add(part);
            }

            parts.Add(QwenContentPart.FromText(content));
            return new QwenMessage(role, parts);
        }

        /// <summary>The media of a message's parts, with what their files told when QwenPS made them.</summary>
        public static IReadOnlyList<MediaInput> MediaOf(QwenMessage message)
        {
            var media = new List<MediaInput>();
            foreach (QwenContentPart part in message.Parts)
            {
                if (part.KindValue == QwenContentPartKind.Text)
                {
                    continue;
                }

                media.Add(Sources.TryGetValue(part, out MediaInput? input) ? input : FromPart(part));
            }

            return media;
        }

        /// <summary>Checks every user message's media against <paramref name="model"/> (MediaRules.CheckInput).</summary>
        public static void CheckConversation(string model, IReadOnlyList<QwenMessage> messages)
        {
            for (int i = 0; i < messages.Count; i++)
            {
                if (messages[i].RoleValue == QwenRole.User && messages[i].Parts.Count > 0)
                {
                    MediaRules.CheckInput(model, i, MediaOf(messages[i]));
                }
            }
        }

        /// <summary>-DropMedia: every user message but the last one with media keeps only its text.</summary>
        public static IReadOnlyList<QwenMessage> DropEarlierMedia(IReadOnlyList<QwenMessage> messages, Action<string> verbose)
        {
            int keep = -1;
            for (int i = messages.Count - 1; i >= 0 && keep < 0; i--)
            {
                if (messages[i].RoleValue == QwenRole.User)
                {
                    keep = i;
                }
            }

            var result = new List<QwenMessage>(messages.Count);
            int dropped = 0;
            for (int i = 0; i < messages.Count; i++)
            {
                QwenMessage message = messages[i];
                if (i != keep && message.RoleValue == QwenRole.User && HasMedia(message))
                {
                    dropped++;
                    if (message.Content == null)
                    {
                        continue;
                    }

                    message = new QwenMessage(QwenRole.User, message.Content);
                }

                result.Add(message);
            }

            if (dropped > 0)
            {
                verbose("-DropMedia: " + dropped + " earlier user message(s) sent as text only.");
            }

            return result;
        }

        private static bool HasMedia(QwenMessage message)
        {
            foreach (QwenContentPart part in message.Parts)
            {
                if (part.KindValue != QwenContentPartKind.Text)
                {
                    return true;
                }
            }

            return false;
        }

        private static QwenContentPart ToPart(MediaInput input)
        {
            switch (input.Kind)
            {
                case MediaKind.Image:
                    return QwenContentPart.FromImage(input.Url!);
                case MediaKind.Audio:
                    return QwenContentPart.FromAudio(input.Url!, input.Format?.Name ?? throw MediaReader.Error(
                        QwenErrorIds.UnsupportedFileType, QwenErrorCategory.InvalidArgument, input.Url!,
                        "Cannot tell the audio format of '" + input.DisplayName + "' from its name; the service needs it. Use a URL ending in "
                        + MediaFormat.KnownExtensions(MediaKind.Audio) + ", or download the file and pass its path."));
                default:
                    if (input.Frames == null)
                    {
                        return QwenContentPart.FromVideo(input.Url!);
                    }

                    var frames = new List<string>(input.Frames.Count);
                    foreach (MediaInput frame in input.Frames)
                    {
                        frames.Add(frame.Url!);
                    }

                    return QwenContentPart.FromVideoFrames(frames);
            }
        }

        /// <summary>A part QwenPS did not make from a file (built elsewhere): what its URL tells.</summary>
        private static MediaInput FromPart(QwenContentPart part)
        {
            switch (part.KindValue)
            {
                case QwenContentPartKind.Image:
                    return new MediaInput(MediaKind.Image, part.Url, null, null, null);
                case QwenContentPartKind.Audio:
                    return new MediaInput(MediaKind.Audio, part.Url, null, null, null);
                case QwenContentPartKind.Video:
                    return new MediaInput(MediaKind.Video, part.Url, null, null, null);
                default:
                    var frames = new List<MediaInput>(part.Frames.Count);
                    foreach (string frame in part.Frames)
                    {
                        frames.Add(new MediaInput(MediaKind.Image, frame, null, null, null));
                    }

                    return new MediaInput(MediaKind.Video, null, null, null, null, frames: frames);
            }
        }
    }
}
