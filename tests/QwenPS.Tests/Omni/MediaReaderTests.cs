using System;
using System.IO;
using QwenPS.Omni;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Omni
{
    public sealed class MediaReaderTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder("media");

        public void Dispose() => _temp.Dispose();

        private string Save(string name, byte[] bytes)
        {
            File.WriteAllBytes(_temp[name], bytes);
            return _temp[name];
        }

        private static MediaInput Read(string value, MediaKind kind) => MediaReader.Read(value, kind, p => p);

        [Fact]
        public void A_local_image_becomes_an_image_data_url_with_its_size_read()
        {
            byte[] png = MediaSamples.Png(640, 480);
            MediaInput input = Read(Save("cat.png", png), MediaKind.Image);

            Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), input.Url);
            Assert.Equal(MediaFormat.Png, input.Format);
            Assert.Equal((640, 480), input.Size);
            Assert.Equal(png.Length, input.ByteLength);
        }

        [Fact]
        public void The_bytes_win_over_the_extension()
        {
            MediaInput input = Read(Save("photo.png", MediaSamples.Jpeg()), MediaKind.Image);

            Assert.StartsWith("data:image/jpeg;base64,", input.Url, StringComparison.Ordinal);
        }

        [Fact]
        public void Audio_and_video_files_become_data_urls_without_a_mime_type_as_in_the_service_samples()
        {
            MediaInput audio = Read(Save("q.wav", MediaSamples.Wav(2.5)), MediaKind.Audio);
            MediaInput video = Read(Save("clip.mp4", MediaSamples.Mp4(12)), MediaKind.Video);

            Assert.StartsWith("data:;base64,UklGR", audio.Url, StringComparison.Ordinal);
            Assert.Equal("wav", audio.Format!.Name);
            Assert.Equal(TimeSpan.FromSeconds(2.5), audio.Duration);
            Assert.StartsWith("data:;base64,", video.Url, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(12), video.Duration);
        }

        [Fact]
        public void Urls_pass_through_unchanged()
        {
            MediaInput input = Read("https://example.com/a/b.mp3?sig=1", MediaKind.Audio);

            Assert.Equal("https://example.com/a/b.mp3?sig=1", input.Url);
            Assert.Equal(MediaFormat.Mp3, input.Format);
            Assert.Null(input.ByteLength);
        }

        [Fact]
        public void A_file_whose_data_url_would_pass_10_MiB_is_refused_before_it_is_read_with_the_limit_named()
        {
            // 7,864,309 bytes → 10,485,748 base64 chars + 22 prefix chars = 10,485,770 > 10,485,760.
            string path = _temp.Sized("big.png", 7_864_309);

            QwenException error = Assert.Throws<QwenException>(() => Read(path, MediaKind.Image));

            Assert.Equal(QwenErrorIds.FileTooLarge, error.ErrorId);
            Assert.Contains("10,485,760 bytes", error.Message, StringComparison.Ordinal);
            Assert.Equal(path, error.Target);
        }

        [Fact]
        public void A_file_whose_data_url_is_exactly_10_MiB_is_taken()
        {
            // "data:;base64," is 13 chars; 7,864,308 bytes → 10,485,744 chars; 10,485,757 in all.
            string path = _temp.Sized("fits.mp3", 7_864_308);

            MediaInput input = Read(path, MediaKind.Audio);

            Assert.True(input.Url!.Length <= MediaReader.MaxDataUrlBytes);
        }

        [Fact]
        public void A_file_of_another_kind_is_refused_with_the_parameter_to_use()
        {
            QwenException error = Assert.Throws<QwenException>(() => Read(Save("song.png", MediaSamples.Mp3()), MediaKind.Image));

            Assert.Equal(QwenErrorIds.UnsupportedFileType, error.ErrorId);
            Assert.Equal("'song.png' is an audio file (mp3), not an image. Pass it with -Audio.", error.Message);
        }

        [Theory]
        [InlineData(10, 100)]
        [InlineData(11, 2201)]
        public void Images_too_small_or_too_thin_are_refused(int width, int height)
        {
            QwenException error = Assert.Throws<QwenException>(() => Read(Save("thin.png", MediaSamples.Png(width, height)), MediaKind.Image));

            Assert.Equal(QwenErrorIds.MediaLimitExceeded, error.ErrorId);
            Assert.Contains(width + "x" + height, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Missing_empty_and_unknown_files_are_refused()
        {
            Assert.Equal(QwenErrorIds.FileNotFound, Assert.Throws<QwenException>(() => Read(_temp["none.png"], MediaKind.Image)).ErrorId);
            Assert.Equal(QwenErrorIds.FileEmpty, Assert.Throws<QwenException>(() => Read(Save("e.png", new byte[0]), MediaKind.Image)).ErrorId);
            Assert.Equal(QwenErrorIds.UnsupportedFileType, Assert.Throws<QwenException>(() => Read(Save("x.bin", new byte[] { 1, 2, 3 }), MediaKind.Image)).ErrorId);
        }

        [Fact]
        public void Frames_become_one_video_of_images()
        {
            string a = Save("f1.png", MediaSamples.Png());
            MediaInput video = MediaReader.ReadFrames(new[] { a, "https://example.com/f2.jpg" }, p => p);

            Assert.Equal(MediaKind.Video, video.Kind);
            Assert.Null(video.Url);
            Assert.Equal(2, video.Frames!.Count);
            Assert.StartsWith("data:image/png;base64,", video.Frames[0].Url, StringComparison.Ordinal);
            Assert.Equal("https://example.com/f2.jpg", video.Frames[1].Url);
        }
    }
}
