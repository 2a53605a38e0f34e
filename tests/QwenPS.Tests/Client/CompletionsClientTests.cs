using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QwenPS.Completions;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Client
{
    /// <summary>Invoke-QwenCodeCompletion's engine over the test server: the FIM prompts, the exact bodies, streaming, refusals.</summary>
    public sealed class CompletionsClientTests : IClassFixture<ServerFixture>
    {
        private readonly ServerFixture _fixture;

        public CompletionsClientTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        [Fact]
        public async Task Prefix_and_suffix_make_the_fill_in_the_middle_prompt_with_the_sampling_fields()
        {
            CompletionRequest request = CompletionsOperation.Create(null, "def area(r):\n    \"\"\"Circle area.\"\"\"\n", "    return result");
            request.MaxTokens = 128;
            request.Temperature = 0.2;
            request.TopP = 0.9;
            request.Stop = new[] { "\n\n" };
            request.Seed = 7;
            request.PresencePenalty = 0.5;
            TestClient test = _fixture.CreateClient(s => s.Region = QwenRegion.Beijing);

            QwenCodeCompletion result = await CompletionsOperation.RunAsync(test.Client, request, test.Output, default);

            Assert.Equal(
                "{\"model\":\"qwen2.5-coder-32b-instruct\",\"prompt\":\"<|fim_prefix|>def area(r):\\n    \\\"\\\"\\\"Circle area.\\\"\\\"\\\"\\n<|fim_suffix|>    return result<|fim_middle|>\","
                + "\"max_tokens\":128,\"temperature\":0.2,\"top_p\":0.9,\"stop\":[\"\\n\\n\"],\"seed\":7,\"presence_penalty\":0.5}",
                _fixture.Server.Requests.Single().BodyText);
            Assert.Equal("/completions", _fixture.Server.Requests.Single().Path);
            Assert.Equal("MIDDLE(36,17)", result.Text);
            Assert.Equal("stop", result.FinishReason);
            Assert.Equal("    return result", result.Suffix);
            Assert.NotNull(result.Usage);
            Assert.NotNull(result.RequestId);
            Assert.Same(result, test.Output.Objects.Single());
        }

        [Fact]
        public async Task A_prefix_alone_asks_for_a_continuation_and_streams_its_pieces()
        {
            CompletionRequest request = CompletionsOperation.Create("qwen-coder-turbo", "import os\n", null);
            request.Stream = true;
            TestClient test = _fixture.CreateClient();

            QwenCodeCompletion result = await CompletionsOperation.RunAsync(test.Client, request, test.Output, default);

            var body = _fixture.Server.Requests.Single().BodyJson!;
            Assert.Equal("<|fim_prefix|>import os\n<|fim_suffix|>", (string?)body["prompt"]);
            Assert.True((bool)body["stream"]!);
            Assert.True((bool)body["stream_options"]!["include_usage"]!);
            QwenContentChunk[] chunks = test.Output.Objects.OfType<QwenContentChunk>().ToArray();
            Assert.True(chunks.Length > 1);
            Assert.Equal("CONTINUE(10)", string.Concat(chunks.Select(c => c.Text)));
            Assert.Equal("CONTINUE(10)", result.Text);
            Assert.NotNull(result.Usage);
            Assert.IsType<QwenCodeCompletion>(test.Output.Objects[^1]);
        }

        [Fact]
        public async Task Max_tokens_cuts_the_text_with_finish_reason_length()
        {
            CompletionRequest request = CompletionsOperation.Create(null, "a", "b");
            request.MaxTokens = 4;
            TestClient test = _fixture.CreateClient();

            QwenCodeCompletion result = await CompletionsOperation.RunAsync(test.Client, request, test.Output, default);

            Assert.Equal("MIDD", result.Text);
            Assert.Equal("length", result.FinishReason);
        }

        [Theory]
        [InlineData(QwenRegion.Singapore)]
        [InlineData(QwenRegion.US)]
        [InlineData(QwenRegion.HongKong)]
        public async Task Another_region_is_refused_before_sending(QwenRegion region)
        {
            CompletionRequest request = CompletionsOperation.Create(null, "x", null);
            TestClient test = _fixture.CreateClient(s => s.Region = region);

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => CompletionsOperation.RunAsync(test.Client, request, test.Output, default));

            Assert.Equal(QwenErrorIds.RegionNotSupported, error.ErrorId);
            Assert.Contains("Beijing", error.Message);
            Assert.Empty(_fixture.Server.Requests);
        }

        [Fact]
        public void A_model_without_fill_in_the_middle_is_refused_naming_Invoke_QwenChat_for_qwen3_coder()
        {
            QwenException coder = Assert.Throws<QwenException>(() => CompletionsOperation.Create("qwen3-coder-plus", "x", null));
            Assert.Contains("Invoke-QwenChat", coder.Message);
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => CompletionsOperation.Create("qwen-plus", "x", null)).ErrorId);
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => CompletionsOperation.Create(null, string.Empty, "y")).ErrorId);
            Assert.Equal("my-coder", CompletionsOperation.Create("my-coder", "x", null).Model);
        }

        [Fact]
        public void A_file_is_split_at_a_line_and_column()
        {
            using var folder = new TempFolder("qwenps-fim");
            string path = Path.Combine(folder.Path, "f.py");
            File.WriteAllText(path, "def f(x):\r\n    return x\r\n");

            Assert.Equal(("def f(x):\r\n    ", "return x\r\n"), CompletionsOperation.Split(path, 2, 5));
            Assert.Equal((string.Empty, "def f(x):\r\n    return x\r\n"), CompletionsOperation.Split(path, 1, 1));
            Assert.Equal(("def f(x):", "\r\n    return x\r\n"), CompletionsOperation.Split(path, 1, 10));
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => CompletionsOperation.Split(path, 1, 11)).ErrorId);
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => CompletionsOperation.Split(path, 9, 1)).ErrorId);
            Assert.Equal(QwenErrorIds.FileNotFound, Assert.Throws<QwenException>(() => CompletionsOperation.Split(Path.Combine(folder.Path, "no.py"), 1, 1)).ErrorId);
        }
    }
}
