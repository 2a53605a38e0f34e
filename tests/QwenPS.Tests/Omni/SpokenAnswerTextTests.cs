using System;
using System.Threading.Tasks;
using QwenPS.Chat;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Omni
{
    /// <summary>
    /// What -Verbose and the errors say about a spoken answer's file (docs/dashscope-notes.md, "Qwen-Omni"): how much audio
    /// it holds, an end inside a sample, audio data that is not base64, a file that cannot be written.
    /// </summary>
    public sealed class SpokenAnswerTextTests : IClassFixture<ServerFixture>, IDisposable
    {
        private readonly ServerFixture _fixture;
        private readonly TempFolder _temp = new TempFolder("spoken-text");

        public SpokenAnswerTextTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        public void Dispose() => _temp.Dispose();

        private static ChatRequest Spoken(string path) =>
            new ChatRequest("qwen3-omni-flash", new[] { new QwenMessage(QwenRole.User, "Hi") }) { AudioPath = path, Stream = true };

        [Fact]
        public async Task A_complete_spoken_answer_says_how_long_it_is_and_where_and_an_end_inside_a_sample_is_said()
        {
            _fixture.Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text(
                "data: {\"choices\":[{\"delta\":{\"content\":\"hi\",\"audio\":{\"data\":\"AAAA\"}},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")));
            TestClient test = _fixture.CreateClient();
            string path = _temp["short.wav"];

            QwenChatResponse response = await test.Chat.ChatAsync(Spoken(path), null, default);

            Assert.Equal(path, response.AudioPath);
            Assert.Contains(test.Output.Verbose, v => v.StartsWith("Spoken answer: 0.00 s of audio (", StringComparison.Ordinal) && v.EndsWith(" bytes of PCM) in " + path + ".", StringComparison.Ordinal));
            Assert.Contains("The audio ended inside a sample or a base64 group; the incomplete end was dropped.", test.Output.Verbose);
        }

        [Fact]
        public async Task A_whole_number_of_samples_is_not_said_to_end_inside_one()
        {
            _fixture.Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text(
                "data: {\"choices\":[{\"delta\":{\"content\":\"hi\",\"audio\":{\"data\":\"AAAAAAAA\"}},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")));
            TestClient test = _fixture.CreateClient();

            await test.Chat.ChatAsync(Spoken(_temp["even.wav"]), null, default);

            Assert.DoesNotContain(test.Output.Verbose, v => v.StartsWith("The audio ended inside", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Audio_data_that_is_not_base64_says_after_how_many_chunks()
        {
            _fixture.Server.Enqueue(ServerBehavior.RawStream(RawSegment.Text(
                "data: {\"choices\":[{\"delta\":{\"audio\":{\"data\":\"AAAA\"}}}]}\n\ndata: {\"choices\":[{\"delta\":{\"audio\":{\"data\":\"A*AA\"}}}]}\n\n")));
            TestClient test = _fixture.CreateClient();
            string path = _temp["bad.wav"];

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Spoken(path), null, default));

            Assert.Equal(QwenErrorIds.MalformedStream, error.ErrorId);
            Assert.Equal(QwenErrorCategory.ProtocolError, error.Category);
            Assert.Contains("(after 2 chunk(s))", error.Message, StringComparison.Ordinal);
            Assert.Contains("is in '" + path + "', a valid WAV file.", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_file_that_cannot_be_created_fails_with_its_path_as_the_target()
        {
            TestClient test = _fixture.CreateClient();
            string path = System.IO.Path.Combine(_temp["missing-folder"], "answer.wav");

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => test.Chat.ChatAsync(Spoken(path), null, default));

            Assert.Equal(QwenErrorIds.AudioFileFailed, error.ErrorId);
            Assert.Equal(QwenErrorCategory.WriteError, error.Category);
            Assert.Equal(path, error.Target);
            Assert.StartsWith("Cannot write the spoken answer to '" + path + "': ", error.Message, StringComparison.Ordinal);
        }
    }
}
