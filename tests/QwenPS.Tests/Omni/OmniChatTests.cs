using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Chat;
using QwenPS.Omni;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Omni
{
    /// <summary>
    /// The Omni cases of the service's guide through the engine (ChatOperation → ChatApi → the test server): the exact
    /// bodies for image, audio, video file, frames and multi-turn, and spoken answers decoded into WAV files.
    /// </summary>
    public sealed class OmniChatTests : IClassFixture<ServerFixture>, IDisposable
    {
        private readonly ServerFixture _fixture;
        private readonly TempFolder _temp = new TempFolder("omni-chat");

        public OmniChatTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        public void Dispose() => _temp.Dispose();

        private DashScopeTestServer Server => _fixture.Server;

        private string Save(string name, byte[] bytes)
        {
            File.WriteAllBytes(_temp[name], bytes);
            return _temp[name];
        }

        private static QwenMessage WithMedia(string text, params MediaInput[] media) => MediaMessages.Create(QwenRole.User, text, media);

        private static MediaInput Read(string value, MediaKind kind) => MediaReader.Read(value, kind, p => p);

        private static ChatRequest Request(string model, IReadOnlyList<QwenMessage> messages, string? audioPath = null, string? voice = null, bool? thinking = null)
        {
            var request = new ChatRequest(model, messages) { AudioPath = audioPath };
            if (voice != null)
            {
                request[ChatFields.Audio] = voice;
            }

            if (thinking != null)
            {
                request[ChatFields.EnableThinking] = thinking.Value;
            }

            return request;
        }

        private async Task<(QwenChatResponse Response, TestClient Test)> RunAsync(ChatRequest request, bool stream = false)
        {
            TestClient test = _fixture.CreateClient();
            var run = new ChatRun { Stream = stream };
            ChatRequest prepared = ChatOperation.PrepareRequest(run, request, test.Output.WriteVerbose);
            QwenChatResponse response = await ChatOperation.RunAsync(test.Chat, prepared, run, test.Output, CancellationToken.None);
            return (response, test);
        }

        private JsonNode LastBody() => Server.Requests.Last().BodyJson!;

        private static short[] Samples(string wav)
        {
            byte[] bytes = File.ReadAllBytes(wav);
            var samples = new short[(bytes.Length - 44) / 2];
            Buffer.BlockCopy(bytes, 44, samples, 0, samples.Length * 2);
            return samples;
        }

        [Fact]
        public async Task Image_and_text_go_as_an_image_part_then_the_text_streamed_for_Omni()
        {
            string png = Save("cat.png", MediaSamples.Png());
            QwenMessage message = WithMedia("What is in this picture?", Read(png, MediaKind.Image));

            (QwenChatResponse response, _) = await RunAsync(Request("qwen3-omni-flash", new[] { message }));

            Assert.Equal("Answer to: What is in this picture?", response.Content);
            Assert.Equal(64, response.Usage!.PromptImageTokens);
            string expected = "{\"model\":\"qwen3-omni-flash\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64," + Convert.ToBase64String(MediaSamples.Png()) + "\"}},"
                + "{\"type\":\"text\",\"text\":\"What is in this picture?\"}]}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
            Assert.Equal(expected, Server.Requests.Last().BodyText);
        }

        [Fact]
        public async Task Audio_and_text_go_as_an_input_audio_part_with_its_container()
        {
            byte[] wav = MediaSamples.Wav(1);
            QwenMessage message = WithMedia("Answer the spoken question.", Read(Save("q.wav", wav), MediaKind.Audio));

            await RunAsync(Request("qwen3-omni-flash", new[] { message }));

            Assert.Equal(
                "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"data:;base64," + Convert.ToBase64String(wav) + "\",\"format\":\"wav\"}}",
                LastBody()["messages"]![0]!["content"]![0]!.ToJsonString());
        }

        [Fact]
        public async Task A_video_file_goes_as_a_video_url_part_and_a_url_passes_through()
        {
            byte[] mp4 = MediaSamples.Mp4(5);
            QwenMessage file = WithMedia("What happens?", Read(Save("clip.mp4", mp4), MediaKind.Video));
            QwenMessage url = WithMedia("And here?", Read("https://example.com/clip.mp4", MediaKind.Video));

            await RunAsync(Request("qwen3-omni-flash", new[] { file }));
            string first = LastBody()["messages"]![0]!["content"]![0]!.ToJsonString();
            await RunAsync(Request("qwen3-omni-flash", new[] { url }));

            Assert.Equal("{\"type\":\"video_url\",\"video_url\":{\"url\":\"data:;base64," + Convert.ToBase64String(mp4) + "\"}}", first);
            Assert.Equal("{\"type\":\"video_url\",\"video_url\":{\"url\":\"https://example.com/clip.mp4\"}}", LastBody()["messages"]![0]!["content"]![0]!.ToJsonString());
        }

        [Fact]
        public async Task Frames_go_as_one_video_part_in_order()
        {
            string a = Save("a.png", MediaSamples.Png());
            QwenMessage message = WithMedia("Describe it.", MediaReader.ReadFrames(new[] { a, "https://example.com/b.jpg", "https://example.com/c.jpg" }, p => p));

            await RunAsync(Request("qwen3-omni-flash", new[] { message }));

            Assert.Equal(
                "{\"type\":\"video\",\"video\":[\"data:image/png;base64," + Convert.ToBase64String(MediaSamples.Png()) + "\",\"https://example.com/b.jpg\",\"https://example.com/c.jpg\"]}",
                LastBody()["messages"]![0]!["content"]![0]!.ToJsonString());
        }

        [Fact]
        public async Task Multi_turn_sends_the_spoken_answer_back_as_text_and_keeps_or_drops_earlier_media()
        {
            QwenMessage first = WithMedia("What is this?", Read("https://example.com/cat.png", MediaKind.Image));
            (QwenChatResponse one, _) = await RunAsync(Request("qwen3-omni-flash", new[] { first }, audioPath: _temp["one.wav"], voice: "Cherry"));
            var next = one.History.Concat(new[] { WithMedia("And this?", Read("https://example.com/dog.png", MediaKind.Image)) }).ToList();

            await RunAsync(Request("qwen3-omni-flash", next));
            string kept = LastBody()["messages"]!.ToJsonString();
            await RunAsync(Request("qwen3-omni-flash", MediaMessages.DropEarlierMedia(next, _ => { })));
            string dropped = LastBody()["messages"]!.ToJsonString();

            string assistant = "{\"role\":\"assistant\",\"content\":\"Answer to: What is this?\"}";
            string last = "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/dog.png\"}},{\"type\":\"text\",\"text\":\"And this?\"}]}";
            Assert.Equal("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\"}},{\"type\":\"text\",\"text\":\"What is this?\"}]}," + assistant + "," + last + "]", kept);
            Assert.Equal("[{\"role\":\"user\",\"content\":\"What is this?\"}," + assistant + "," + last + "]", dropped);
        }

        [Fact]
        public async Task A_spoken_answer_asks_for_text_and_audio_and_lands_as_the_tone_in_a_valid_wav()
        {
            string path = _temp["answer.wav"];

            (QwenChatResponse response, TestClient test) = await RunAsync(Request("qwen3-omni-flash", new[] { new QwenMessage(QwenRole.User, "Hi") }, path, "cherry"));

            JsonNode body = LastBody();
            Assert.Equal("[\"text\",\"audio\"]", body["modalities"]!.ToJsonString());
            Assert.Equal("{\"voice\":\"Cherry\",\"format\":\"wav\"}", body["audio"]!.ToJsonString());
            Assert.Equal("Answer to: Hi", response.Content);
            Assert.Equal(path, response.AudioPath);
            Assert.Equal(TimeSpan.FromSeconds(1.3), response.AudioDuration);
            var wav = AudioAnswerFileTests.ReadWav(path);
            Assert.Equal((uint)(31200 * 2), wav.DataSize);
            short[] samples = Samples(path);
            Assert.Equal(31200, samples.Length);
            Assert.All(new[] { 0, 1, 2, 99, 12345, 31199 }, k => Assert.Equal(AudioReply.Sample(k), samples[k]));
            Assert.Contains(test.Output.Verbose, v => v.Contains("voice Cherry", StringComparison.Ordinal));

            // Usage by modality: 2 prompt characters; 13 answer characters; ceil(1.3 s × 12.5) audio tokens.
            QwenUsage usage = response.Usage!;
            Assert.Equal((2, 0, 0, 0, 13, 17), (usage.PromptTextTokens, usage.PromptImageTokens, usage.PromptAudioTokens, usage.PromptVideoTokens, usage.CompletionTextTokens, usage.CompletionAudioTokens));
            Assert.Equal(30, usage.CompletionTokens);
        }

        [Fact]
        public async Task Usage_by_modality_is_read_from_a_whole_response_too()
        {
            Server.Enqueue(ServerBehavior.Body(200,
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"qwen-vl-max\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"A cat.\"}}],"
                + "\"usage\":{\"prompt_tokens\":1290,\"completion_tokens\":6,\"total_tokens\":1296,\"prompt_tokens_details\":{\"text_tokens\":10,\"image_tokens\":1280},\"completion_tokens_details\":{\"text_tokens\":6}}}",
                "application/json"));
            QwenMessage message = WithMedia("What is it?", Read("https://example.com/cat.png", MediaKind.Image));

            (QwenChatResponse response, _) = await RunAsync(Request("qwen-vl-max", new[] { message }));

            QwenUsage usage = response.Usage!;
            Assert.Equal((10, 1280, (int?)null, (int?)null, 6, (int?)null), (usage.PromptTextTokens, usage.PromptImageTokens, usage.PromptAudioTokens, usage.PromptVideoTokens, usage.CompletionTextTokens, usage.CompletionAudioTokens));
        }

        [Fact]
        public async Task Streamed_records_carry_each_pieces_bytes_and_the_text_comes_once()
        {
            Server.Enqueue(OmniBehaviors.Audio(new AudioReply { Seconds = 0.5, PieceChars = [1, 2, 3, 4, 5, 4097] }));

            (QwenChatResponse response, TestClient test) = await RunAsync(Request("qwen3-omni-flash", new[] { new QwenMessage(QwenRole.User, "Hi") }, _temp["s.wav"]), stream: true);

            List<QwenAudioChunk> audio = test.Output.Objects.OfType<QwenAudioChunk>().ToList();
            // Cumulative 1, 3, 6, 10, 15, 4112 chars: whole quads 0, 0, 1, 2, 3, 1028 → 0, 0, 3, 3, 3, 3075 bytes.
            Assert.Equal(new[] { 0, 0, 3, 3, 3, 3075 }, audio.Take(6).Select(a => a.Bytes));
            Assert.Equal(24000, audio.Sum(a => a.Bytes));
            Assert.Equal(24000, audio[^1].TotalBytes);
            Assert.Equal(TimeSpan.FromSeconds(0.5), audio[^1].Duration);
            Assert.Equal("Answer to: Hi", string.Concat(test.Output.Objects.OfType<QwenContentChunk>().Select(c => c.Text)));
            Assert.Equal("Answer to: Hi", response.Content);
        }

        [Fact]
        public async Task Text_only_in_the_transcript_and_padded_pieces_still_give_the_answer_and_the_tone()
        {
            Server.Enqueue(OmniBehaviors.Audio(new AudioReply { Seconds = 0.2, Transcript = TranscriptMode.TranscriptOnly, PaddedPieces = true, PieceChars = [1, 500, 7] }));

            (QwenChatResponse response, TestClient test) = await RunAsync(Request("qwen-omni-turbo", new[] { new QwenMessage(QwenRole.User, "Hi") }, _temp["t.wav"], "Ethan"), stream: true);

            Assert.Equal("Answer to: Hi", response.Content);
            Assert.Equal("Answer to: Hi", string.Concat(test.Output.Objects.OfType<QwenContentChunk>().Select(c => c.Text)));
            short[] samples = Samples(_temp["t.wav"]);
            Assert.Equal(4800, samples.Length);
            Assert.Equal(AudioReply.Sample(4321), samples[4321]);
        }

        [Fact]
        public async Task A_cut_stream_leaves_a_valid_shorter_wav_and_the_error_says_where_it_is()
        {
            Server.Enqueue(OmniBehaviors.Audio(new AudioReply { Seconds = 3, CutAfterAudioPieces = 5 }));
            string path = _temp["cut.wav"];

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => RunAsync(Request("qwen3-omni-flash", new[] { new QwenMessage(QwenRole.User, "Hi") }, path)));

            // 4097 + 1 + 2 + 3 + 6142 = 10,245 chars: 2,561 quads (7,683 bytes) and one char of the next.
            Assert.Equal(QwenErrorIds.StreamInterrupted, error.ErrorId);
            var wav = AudioAnswerFileTests.ReadWav(path);
            Assert.Equal(7682u, wav.DataSize);
            Assert.Equal(44 + 7682, new FileInfo(path).Length);
            Assert.Contains("(0.16 s) is in '" + path + "', a valid WAV file.", error.Message, StringComparison.Ordinal);
            Assert.Equal(path, error.PartialResponse!.AudioPath);
            Assert.Equal(TimeSpan.FromTicks(3841 * TimeSpan.TicksPerSecond / 24000), error.PartialResponse.AudioDuration);
            Assert.Equal(AudioReply.Sample(3840), Samples(path)[3840]);
        }

        [Fact]
        public async Task Audio_data_that_is_not_base64_is_a_malformed_stream_and_the_file_stays_valid()
        {
            Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"audio\":{\"data\":\"AAAA\"}}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"audio\":{\"data\":\"AA*A\"}}}]}\n\n"
                + "data: [DONE]\n\n")));
            string path = _temp["bad.wav"];

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => RunAsync(Request("qwen3-omni-flash", new[] { new QwenMessage(QwenRole.User, "Hi") }, path)));

            Assert.Equal(QwenErrorIds.MalformedStream, error.ErrorId);
            Assert.Equal(2u, AudioAnswerFileTests.ReadWav(path).DataSize);   // 3 bytes arrived; the half sample is dropped
        }

        [Theory]
        [InlineData("qwen-omni-turbo", "Tina", null, QwenErrorIds.VoiceNotAvailable)]
        [InlineData("qwen3-omni-flash", null, true, QwenErrorIds.AudioNotSupported)]
        [InlineData("qwen-plus", null, null, QwenErrorIds.AudioNotSupported)]
        [InlineData("qwen3.8-omni-flash", null, null, QwenErrorIds.AudioNotSupported)]
        public void Spoken_answers_the_model_cannot_give_are_refused_before_any_request(string model, string? voice, bool? thinking, string id)
        {
            ChatRequest request = Request(model, new[] { new QwenMessage(QwenRole.User, "Hi") }, _temp["x.wav"], voice, thinking);

            QwenException error = Assert.Throws<QwenException>(() => ChatOperation.PrepareRequest(new ChatRun(), request, _ => { }));

            Assert.Equal(id, error.ErrorId);
            Assert.False(File.Exists(_temp["x.wav"]));
        }

        [Fact]
        public void A_voice_without_audio_output_and_audio_output_without_a_file_are_refused()
        {
            ChatRequest voiceOnly = Request("qwen3-omni-flash", new[] { new QwenMessage(QwenRole.User, "Hi") }, voice: "Cherry");
            ChatRequest noFile = Request("qwen3-omni-flash", new[] { new QwenMessage(QwenRole.User, "Hi") });
            noFile[ChatFields.Modality] = new[] { QwenModality.Text, QwenModality.Audio };
            ChatRequest noFolder = Request("qwen3-omni-flash", new[] { new QwenMessage(QwenRole.User, "Hi") }, Path.Combine(_temp.Path, "none", "a.wav"));

            Assert.Contains("-AudioPath", Assert.Throws<QwenException>(() => ChatOperation.PrepareRequest(new ChatRun(), voiceOnly, _ => { })).Message, StringComparison.Ordinal);
            Assert.Contains("-AudioPath", Assert.Throws<QwenException>(() => ChatOperation.PrepareRequest(new ChatRun(), noFile, _ => { })).Message, StringComparison.Ordinal);
            Assert.Equal(QwenErrorIds.AudioFileFailed, Assert.Throws<QwenException>(() => ChatOperation.PrepareRequest(new ChatRun(), noFolder, _ => { })).ErrorId);
        }

        [Fact]
        public void Media_over_the_models_limits_anywhere_in_the_conversation_are_refused_before_any_request()
        {
            QwenMessage longAudio = WithMedia("x", Read(Save("long.wav", MediaSamples.Wav(181, 8000)), MediaKind.Audio));
            var messages = new[] { longAudio, new QwenMessage(QwenRole.Assistant, "ok"), new QwenMessage(QwenRole.User, "Hi") };

            QwenException error = Assert.Throws<QwenException>(() => ChatOperation.PrepareRequest(new ChatRun(), Request("qwen-omni-turbo", messages), _ => { }));

            Assert.Equal(QwenErrorIds.MediaLimitExceeded, error.ErrorId);
            Assert.Contains("message 1: long.wav", error.Message, StringComparison.Ordinal);
            Assert.Empty(Server.Requests);
        }
    }
}
