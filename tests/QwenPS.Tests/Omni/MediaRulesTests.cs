using System;
using QwenPS.Omni;
using Xunit;

namespace QwenPS.Tests.Omni
{
    public sealed class MediaRulesTests
    {
        private static MediaInput File(MediaKind kind, long bytes, double seconds) =>
            new MediaInput(kind, "data:;base64,AAAA", null, "/tmp/x." + kind, bytes, TimeSpan.FromSeconds(seconds));

        private static MediaInput Frames(int count)
        {
            var frames = new MediaInput[count];
            for (int i = 0; i < count; i++)
            {
                frames[i] = new MediaInput(MediaKind.Image, "https://example.com/" + i + ".jpg", null, null, null);
            }

            return new MediaInput(MediaKind.Video, null, null, null, null, frames: frames);
        }

        [Theory]
        [InlineData("qwen3-omni-flash", 1, false)]
        [InlineData("qwen3-omni-flash", 2, true)]
        [InlineData("qwen3-omni-flash", 128, true)]
        [InlineData("qwen3-omni-flash", 129, false)]
        [InlineData("qwen-omni-turbo", 3, false)]
        [InlineData("qwen-omni-turbo", 80, true)]
        [InlineData("qwen3.5-omni-plus", 2048, true)]
        public void Frame_counts_follow_the_model(string model, int frames, bool allowed)
        {
            void Check() => MediaRules.CheckInput(model, 0, new[] { Frames(frames) });

            if (allowed)
            {
                Check();
            }
            else
            {
                QwenException error = Assert.Throws<QwenException>(Check);
                Assert.Equal(QwenErrorIds.MediaLimitExceeded, error.ErrorId);
                Assert.Contains("frames", error.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void Durations_are_checked_with_the_limit_named()
        {
            MediaRules.CheckInput("qwen3-omni-flash", 0, new[] { File(MediaKind.Audio, 1000, 1200) });

            QwenException audio = Assert.Throws<QwenException>(() => MediaRules.CheckInput("qwen-omni-turbo", 2, new[] { File(MediaKind.Audio, 1000, 181) }));
            QwenException video = Assert.Throws<QwenException>(() => MediaRules.CheckInput("qwen3-omni-flash", 0, new[] { File(MediaKind.Video, 1000, 151) }));

            Assert.Equal("Too large for qwen-omni-turbo (message 3: x.Audio): qwen-omni-turbo takes audio up to 3 min long; this one is 3 min 1 s.", audio.Message);
            Assert.Contains("takes video up to 2 min 30 s long", video.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Sizes_are_checked_with_the_limit_named()
        {
            QwenException error = Assert.Throws<QwenException>(() => MediaRules.CheckInput("qwen-omni-turbo", 0, new[] { File(MediaKind.Audio, (10 * 1024 * 1024) + 1, 10) }));

            Assert.Contains("qwen-omni-turbo takes audio files up to 10.0 MB", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Two_modalities_in_one_Omni_message_are_refused_but_vision_models_take_them()
        {
            var media = new[] { new MediaInput(MediaKind.Image, "https://e/a.png", null, null, null), new MediaInput(MediaKind.Video, "https://e/b.mp4", null, null, null) };

            MediaRules.CheckInput("qwen3-vl-plus", 0, media);
            QwenException error = Assert.Throws<QwenException>(() => MediaRules.CheckInput("qwen3-omni-flash", 0, media));

            Assert.Equal(QwenErrorIds.InvalidArgument, error.ErrorId);
            Assert.Contains("message 1 has image and video", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Audio_input_needs_an_Omni_model()
        {
            QwenException error = Assert.Throws<QwenException>(() => MediaRules.CheckInput("qwen-vl-max", 0, new[] { File(MediaKind.Audio, 10, 1) }));

            Assert.Equal(QwenErrorIds.AudioNotSupported, error.ErrorId);
        }

        [Fact]
        public void Voices_are_matched_to_the_models_spelling_and_unknown_ones_refused_with_the_list()
        {
            Assert.Equal("Cherry", MediaRules.CheckAudioOutput("qwen3-omni-flash", "cherry", thinking: false));
            Assert.Equal("Theo Calm", MediaRules.CheckAudioOutput("qwen3.5-omni-flash", "theo calm", thinking: false));
            Assert.Null(MediaRules.CheckAudioOutput("qwen3-omni-flash", null, thinking: false));
            Assert.Equal("Anyone", MediaRules.CheckAudioOutput("qwen9-omni-next", "Anyone", thinking: false));

            QwenException error = Assert.Throws<QwenException>(() => MediaRules.CheckAudioOutput("qwen-omni-turbo", "Tina", thinking: false));
            Assert.Equal(QwenErrorIds.VoiceNotAvailable, error.ErrorId);
            Assert.Equal("The model 'qwen-omni-turbo' has no voice 'Tina'. Its voices: Cherry, Serena, Ethan, Chelsie.", error.Message);
        }

        [Theory]
        [InlineData("qwen-plus", false)]
        [InlineData("qwen3.8-omni-flash", false)]
        [InlineData("qwen3-omni-flash", true)]
        public void Audio_output_needs_a_speaking_model_and_no_thinking(string model, bool thinking)
        {
            QwenException error = Assert.Throws<QwenException>(() => MediaRules.CheckAudioOutput(model, null, thinking));

            Assert.Equal(QwenErrorIds.AudioNotSupported, error.ErrorId);
        }
    }
}
