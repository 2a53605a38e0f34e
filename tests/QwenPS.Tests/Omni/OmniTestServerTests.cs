using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Omni
{
    /// <summary>
    /// The test server's Qwen-Omni behaviour over plain HTTP (no QwenPS client code): part arrays, data-URL checks,
    /// the stream-only rule, and the spoken answer (a tone as base64 PCM in pieces that split quads and samples).
    /// </summary>
    public sealed class OmniTestServerTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public OmniTestServerTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private DashScopeTestServer Server => _fixture.Server;

        private static JsonObject Part(string type, JsonNode value) => new JsonObject { ["type"] = type, [type] = value };

        private static JsonObject Text(string text) => new JsonObject { ["type"] = "text", ["text"] = text };

        private static JsonObject Image(string url) => Part("image_url", new JsonObject { ["url"] = url });

        private static JsonObject User(params JsonNode[] parts) => new JsonObject { ["role"] = "user", ["content"] = new JsonArray(parts) };

        private static JsonObject Body(string model, bool stream, params JsonNode[] messages) => new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(messages),
            ["stream"] = stream,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };

        private static JsonObject WithAudio(JsonObject body, string? voice = "Cherry")
        {
            body["modalities"] = new JsonArray("text", "audio");
            body["audio"] = voice is null ? new JsonObject { ["format"] = "wav" } : new JsonObject { ["voice"] = voice, ["format"] = "wav" };
            return body;
        }

        private async Task<(int Status, string Text)> PostAsync(JsonObject body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Server.BaseUri + "/chat/completions")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _fixture.Key);
            try
            {
                using HttpResponseMessage response = await _fixture.Http.SendAsync(request);
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException)
            {
                return (-1, string.Empty);
            }
        }

        private static string ErrorMessage(string text) => (string)JsonNode.Parse(text)!["error"]!["message"]!;

        private static List<JsonNode> Events(string sse) => sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Trim())
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal) && e != "data: [DONE]")
            .Select(e => JsonNode.Parse(e.Substring(6))!)
            .ToList();

        private static JsonNode? Delta(JsonNode chunk) => chunk["choices"]!.AsArray().FirstOrDefault()?["delta"];

        private static List<string> AudioPieces(List<JsonNode> events) => events
            .Select(e => Delta(e)?["audio"]?["data"])
            .Where(d => d is not null)
            .Select(d => (string)d!)
            .ToList();

        private static short[] Samples(byte[] pcm)
        {
            var samples = new short[pcm.Length / 2];
            Buffer.BlockCopy(pcm, 0, samples, 0, samples.Length * 2);
            return samples;
        }

        [Fact]
        public async Task An_image_and_text_part_array_is_answered_with_usage_by_modality()
        {
            var body = Body("qwen3-omni-flash", true, User(Image(MediaSamples.DataUrl("image/png", MediaSamples.Png())), Text("What is this?")));

            (int status, string text) = await PostAsync(body);

            Assert.Equal(200, status);
            List<JsonNode> events = Events(text);
            Assert.Equal("Answer to: What is this?", string.Concat(events.Select(e => (string?)Delta(e)?["content"])));
            Assert.Empty(AudioPieces(events));
            JsonNode usage = events[^1]["usage"]!;
            Assert.Equal(13, (int)usage["prompt_tokens_details"]!["text_tokens"]!);
            Assert.Equal(64, (int)usage["prompt_tokens_details"]!["image_tokens"]!);
            Assert.Equal(77, (int)usage["prompt_tokens"]!);
            Assert.Equal(0, (int)usage["completion_tokens_details"]!["audio_tokens"]!);
        }

        [Fact]
        public async Task A_data_uri_over_10_MiB_gets_the_service_error_text()
        {
            string prefix = "data:image/png;base64,";
            int payload = ((10_485_760 - prefix.Length) / 4 * 4) + 4;   // one quad over the limit
            string url = prefix + new string('A', payload);

            (int status, string text) = await PostAsync(Body("qwen3-omni-flash", true, User(Image(url), Text("x"))));

            Assert.Equal(400, status);
            Assert.Equal("Exceeded limit on max bytes per data-uri item : 10485760", ErrorMessage(text));
        }

        [Fact]
        public async Task A_data_uri_of_exactly_10_MiB_is_not_refused_for_its_size()
        {
            string prefix = "data:;base64,";
            byte[] audio = new byte[(10_485_760 - prefix.Length) / 4 * 3];
            MediaSamples.Mp3().CopyTo(audio, 0);
            string url = prefix + Convert.ToBase64String(audio);
            Assert.True(url.Length <= 10_485_760 && url.Length > 10_485_750);

            (int status, _) = await PostAsync(Body("qwen3-omni-flash", true,
                User(Part("input_audio", new JsonObject { ["data"] = url, ["format"] = "mp3" }), Text("x"))));

            Assert.Equal(200, status);
        }

        [Theory]
        [InlineData("data:image/png;base64,iVBO!!!!", "not valid base64")]
        [InlineData("data:image/png,iVBORw0KGgo=", "only base64 data URIs")]
        [InlineData("data:text/plain;base64,aGVsbG8=", "must be image/*")]
        public async Task Malformed_image_data_urls_are_refused(string url, string expected)
        {
            (int status, string text) = await PostAsync(Body("qwen-vl-max", false, User(Image(url), Text("x"))));

            Assert.Equal(400, status);
            Assert.Contains(expected, ErrorMessage(text), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Image_bytes_that_do_not_match_their_MIME_type_are_refused()
        {
            (int status, string text) = await PostAsync(Body("qwen3-vl-plus", false, User(Image(MediaSamples.DataUrl("image/png", MediaSamples.Jpeg())), Text("x"))));

            Assert.Equal(400, status);
            Assert.Equal("Invalid data-uri item: the data is jpeg but the MIME type says image/png.", ErrorMessage(text));
        }

        [Theory]
        [InlineData(10, 40, "larger than 10 pixels")]
        [InlineData(11, 2201, "200:1")]
        public async Task Images_too_small_or_too_thin_are_refused(int width, int height, string expected)
        {
            (int status, string text) = await PostAsync(Body("qwen3-vl-plus", false, User(Image(MediaSamples.DataUrl("image/png", MediaSamples.Png(width, height))), Text("x"))));

            Assert.Equal(400, status);
            Assert.Contains(expected, ErrorMessage(text), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Vision_models_take_an_image_and_a_video_in_one_message_but_Omni_does_not()
        {
            JsonObject Message() => User(Image("https://example.com/a.png"), Part("video_url", new JsonObject { ["url"] = "https://example.com/b.mp4" }), Text("x"));

            (int vl, _) = await PostAsync(Body("qwen3-vl-plus", false, Message()));
            (int omni, string text) = await PostAsync(Body("qwen3-omni-flash", true, Message()));

            Assert.Equal(200, vl);
            Assert.Equal(400, omni);
            Assert.Equal("messages[0]: a user message may hold text and at most one other modality; got image and video.", ErrorMessage(text));
        }

        [Fact]
        public async Task Omni_without_streaming_is_refused_as_the_service_does()
        {
            (int s1, string audio) = await PostAsync(WithAudio(Body("qwen3-omni-flash", false, User(Text("Hi")))));
            (int s2, string text) = await PostAsync(Body("qwen3-omni-flash", false, User(Text("Hi"))));

            Assert.Equal((400, 400), (s1, s2));
            Assert.Equal("'audio' output only support with stream=true", ErrorMessage(audio));
            Assert.Equal("This model only support stream mode, please enable the stream parameter to access the model. ", ErrorMessage(text));
        }

        [Fact]
        public async Task A_voice_the_model_does_not_have_gets_the_service_error_text()
        {
            (int status, string text) = await PostAsync(WithAudio(Body("qwen-omni-turbo", true, User(Text("Hi"))), voice: "Tina"));

            Assert.Equal(400, status);
            Assert.Equal("Input should be 'Cherry', 'Serena', 'Ethan' or 'Chelsie': parameters.audio.voice", ErrorMessage(text));
        }

        [Fact]
        public async Task Thinking_with_audio_output_and_audio_output_on_a_text_model_are_refused()
        {
            JsonObject thinking = WithAudio(Body("qwen3-omni-flash", true, User(Text("Hi"))));
            thinking["enable_thinking"] = true;

            (int s1, string t1) = await PostAsync(thinking);
            (int s2, string t2) = await PostAsync(WithAudio(Body("qwen-plus", true, User(Text("Hi")))));

            Assert.Equal((400, 400), (s1, s2));
            Assert.Contains("thinking mode", ErrorMessage(t1), StringComparison.Ordinal);
            Assert.Equal("The model qwen-plus does not support audio output.", ErrorMessage(t2));
        }

        [Theory]
        [InlineData("qwen3-omni-flash", 1, "between 2 and 128")]
        [InlineData("qwen3-omni-flash", 129, "between 2 and 128")]
        [InlineData("qwen-omni-turbo", 3, "between 4 and 80")]
        public async Task Frame_counts_outside_the_models_range_are_refused(string model, int frames, string expected)
        {
            var list = new JsonArray(Enumerable.Range(0, frames).Select(i => (JsonNode)("https://example.com/f" + i + ".jpg")).ToArray());

            (int status, string text) = await PostAsync(Body(model, true, User(Part("video", list), Text("x"))));

            Assert.Equal(400, status);
            Assert.Contains(expected, ErrorMessage(text), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Audio_and_video_longer_than_the_model_takes_are_refused()
        {
            JsonObject audio = Part("input_audio", new JsonObject { ["data"] = "data:;base64," + Convert.ToBase64String(MediaSamples.Wav(181, 8000)), ["format"] = "wav" });
            JsonObject video = Part("video_url", new JsonObject { ["url"] = "data:;base64," + Convert.ToBase64String(MediaSamples.Mp4(41)) });

            (int s1, string t1) = await PostAsync(Body("qwen-omni-turbo", true, User(audio, Text("x"))));
            (int s2, string t2) = await PostAsync(Body("qwen-omni-turbo", true, User(video, Text("x"))));
            (int s3, _) = await PostAsync(Body("qwen3-omni-flash", true, User(audio.DeepClone(), Text("x"))));

            Assert.Equal((400, 400, 200), (s1, s2, s3));
            Assert.Equal("The audio is too long: qwen-omni-turbo takes at most 180 s of audio per file (got 181 s).", ErrorMessage(t1));
            Assert.Equal("The video is too long: qwen-omni-turbo takes at most 40 s of video per file (got 41 s).", ErrorMessage(t2));
        }

        [Fact]
        public async Task Assistant_turns_must_come_back_as_text_only()
        {
            var assistant = new JsonObject { ["role"] = "assistant", ["content"] = "It is a cat.", ["audio"] = new JsonObject { ["id"] = "audio_1" } };

            (int status, string text) = await PostAsync(Body("qwen3-omni-flash", true, User(Text("Hi")), assistant, User(Text("More?"))));

            Assert.Equal(400, status);
            Assert.StartsWith("messages[1]: an assistant message must be text only", ErrorMessage(text), StringComparison.Ordinal);
        }

        [Fact]
        public async Task The_spoken_answer_is_the_tone_in_pieces_that_split_quads_and_samples_with_a_transcript()
        {
            (int status, string text) = await PostAsync(WithAudio(Body("qwen3-omni-flash", true, User(Text("Hi")))));

            Assert.Equal(200, status);
            List<JsonNode> events = Events(text);
            List<string> pieces = AudioPieces(events);
            Assert.Contains(pieces, p => p.Length % 4 != 0);
            Assert.All(pieces.Take(pieces.Count - 1), p => Assert.DoesNotContain("=", p, StringComparison.Ordinal));

            // "Answer to: Hi" is 13 characters: 0.1 s each at 24 kHz.
            byte[] pcm = Convert.FromBase64String(string.Concat(pieces));
            Assert.Equal(13 * 2400 * 2, pcm.Length);
            short[] samples = Samples(pcm);
            foreach (int k in new[] { 0, 1, 13, 27, 5000, samples.Length - 1 })
            {
                Assert.Equal(AudioReply.Sample(k), samples[k]);
            }

            Assert.Equal("Answer to: Hi", string.Concat(events.Select(e => (string?)Delta(e)?["content"])));
            Assert.Equal("Answer to: Hi", string.Concat(events.Select(e => (string?)Delta(e)?["audio"]?["transcript"])));
            Assert.All(events.Where(e => Delta(e)?["audio"]?["data"] is not null), e => Assert.Null(Delta(e)!["content"]));
            JsonNode details = events[^1]["usage"]!["completion_tokens_details"]!;
            Assert.Equal(17, (int)details["audio_tokens"]!);   // ceil(1.3 s × 12.5)
            Assert.Equal(13, (int)details["text_tokens"]!);
        }

        [Fact]
        public async Task Padded_pieces_each_decode_on_their_own_and_together_give_the_tone()
        {
            Server.Enqueue(OmniBehaviors.Audio(new AudioReply { Seconds = 0.25, PaddedPieces = true, PieceChars = [1000, 1, 333] }));

            (_, string text) = await PostAsync(WithAudio(Body("qwen3.5-omni-flash", true, User(Text("Hi"))), voice: null));

            List<string> pieces = AudioPieces(Events(text));
            byte[] pcm = pieces.SelectMany(Convert.FromBase64String).ToArray();
            Assert.Equal(6000 * 2, pcm.Length);
            Assert.Contains(pieces, p => p.EndsWith('='));
            Assert.Equal(AudioReply.Sample(4321), Samples(pcm)[4321]);
        }

        [Fact]
        public async Task A_cut_after_n_audio_pieces_drops_the_connection_there()
        {
            Server.Enqueue(OmniBehaviors.Audio(new AudioReply { Seconds = 2, CutAfterAudioPieces = 3, Transcript = TranscriptMode.TranscriptOnly }));

            (int status, string text) = await ReadUntilCutAsync(WithAudio(Body("qwen3-omni-flash", true, User(Text("Hi")))));

            Assert.Equal(200, status);
            List<JsonNode> events = Events(text);
            Assert.Equal(AudioReply.DefaultPieceChars.Take(3), AudioPieces(events).Select(p => p.Length));
            Assert.DoesNotContain(events, e => e["usage"] is JsonObject);
            Assert.Equal(string.Empty, string.Concat(events.Select(e => (string?)Delta(e)?["content"])));
            Assert.StartsWith("Answ", string.Concat(events.Select(e => (string?)Delta(e)?["audio"]?["transcript"])), StringComparison.Ordinal);
        }

        [Fact]
        public async Task The_control_endpoint_takes_the_audio_kind()
        {
            using var content = new StringContent("{\"kind\":\"audio\",\"seconds\":0.5,\"pieceChars\":[7],\"transcript\":\"contentOnly\"}", Encoding.UTF8, "application/json");
            using HttpResponseMessage queued = await _fixture.Http.PostAsync(new Uri(Server.RootUri, "_control/enqueue"), content);
            Assert.True(queued.IsSuccessStatusCode, await queued.Content.ReadAsStringAsync());

            (_, string text) = await PostAsync(WithAudio(Body("qwen3-omni-flash", true, User(Text("Hi")))));

            List<JsonNode> events = Events(text);
            List<string> pieces = AudioPieces(events);
            Assert.Equal(32000, pieces.Sum(p => p.Length));   // 0.5 s = 12,000 samples = 24,000 bytes = 32,000 base64 chars
            Assert.All(pieces.Take(pieces.Count - 1), p => Assert.Equal(7, p.Length));
            Assert.DoesNotContain(events, e => Delta(e)?["audio"]?["transcript"] is not null);
        }

        private async Task<(int Status, string Text)> ReadUntilCutAsync(JsonObject body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Server.BaseUri + "/chat/completions")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _fixture.Key);
            using HttpResponseMessage response = await _fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var read = new MemoryStream();
            Stream stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[8192];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0)
                {
                    read.Write(buffer, 0, n);
                }

                Assert.Fail("The stream ended normally; a cut was expected.");
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                // The cut.
            }

            return ((int)response.StatusCode, Encoding.UTF8.GetString(read.ToArray()));
        }
    }
}
