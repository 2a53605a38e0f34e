using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using QwenPS.TestServer;
using QwenPS.Tests.Support;
using QwenPS.Translation;
using Xunit;

namespace QwenPS.Tests.Client
{
    /// <summary>Invoke-QwenTranslation's engine over the test server: the exact bodies, order, streaming increments, refusals.</summary>
    public sealed class TranslationClientTests : IClassFixture<ServerFixture>
    {
        private static readonly IReadOnlyList<KeyValuePair<string, string>> None = Array.Empty<KeyValuePair<string, string>>();

        private readonly ServerFixture _fixture;

        public TranslationClientTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        private static KeyValuePair<string, string> Pair(string source, string target) => new KeyValuePair<string, string>(source, target);

        [Fact]
        public async Task One_text_is_one_user_message_with_the_documented_translation_options()
        {
            TranslationRequest request = TranslationOperation.Create(
                null, "es", "english", new[] { Pair("contrato", "agreement") }, new[] { Pair("entra en vigor", "takes effect") }, " Legal text; keep a formal register. ", stream: false);
            TestClient test = _fixture.CreateClient();

            await TranslationOperation.RunAsync(test.Client, request, new[] { "El contrato entra en vigor el lunes." }, 4, test.Output, default);

            Assert.Equal(
                "{\"model\":\"qwen-mt-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"El contrato entra en vigor el lunes.\"}],"
                + "\"translation_options\":{\"source_lang\":\"Spanish\",\"target_lang\":\"English\",\"terms\":[{\"source\":\"contrato\",\"target\":\"agreement\"}],"
                + "\"tm_list\":[{\"source\":\"entra en vigor\",\"target\":\"takes effect\"}],\"domains\":\"Legal text; keep a formal register.\"}}",
                _fixture.Server.Requests.Single().BodyText);
            QwenTranslation result = test.Output.Objects.OfType<QwenTranslation>().Single();
            Assert.Equal("[Spanish>English] El agreement entra en vigor el lunes. {tm:1} {domain:Legal text; keep a formal register.}", result.Text);
            Assert.Equal("El contrato entra en vigor el lunes.", result.SourceText);
            Assert.Equal(("Spanish", "English", "qwen-mt-flash"), (result.From, result.To, result.Model));
            Assert.NotNull(result.Usage);
            Assert.NotNull(result.RequestId);
        }

        [Fact]
        public async Task Results_keep_the_input_order_when_calls_finish_out_of_order()
        {
            // The first request to arrive waits; the others overtake it.
            _fixture.Server.Enqueue(ServerBehavior.DelayThen(TimeSpan.FromMilliseconds(400)));
            TranslationRequest request = TranslationOperation.Create("qwen-mt-flash", null, "zh", None, None, null, stream: false);
            string[] texts = Enumerable.Range(1, 8).Select(i => "line " + i).ToArray();
            TestClient test = _fixture.CreateClient();

            await TranslationOperation.RunAsync(test.Client, request, texts, 4, test.Output, default);

            Assert.Equal(texts, test.Output.Objects.OfType<QwenTranslation>().Select(t => t.SourceText));
            Assert.Equal(texts.Select(t => "[auto>Chinese] " + t), test.Output.Objects.OfType<QwenTranslation>().Select(t => t.Text));
            Assert.Equal(8, _fixture.Server.Requests.Count);
            Assert.All(_fixture.Server.Requests, r => Assert.Single(r.BodyJson!["messages"]!.AsArray()));
        }

        [Fact]
        public async Task A_blank_text_is_kept_without_a_request()
        {
            TranslationRequest request = TranslationOperation.Create(null, null, "en", None, None, null, stream: false);
            TestClient test = _fixture.CreateClient();

            await TranslationOperation.RunAsync(test.Client, request, new[] { "uno", "  ", "dos" }, 2, test.Output, default);

            Assert.Equal(new[] { "[auto>English] uno", "  ", "[auto>English] dos" }, test.Output.Objects.OfType<QwenTranslation>().Select(t => t.Text));
            Assert.Equal(2, _fixture.Server.Requests.Count);
        }

        [Theory]
        [InlineData("qwen-mt-plus")]
        [InlineData("qwen-mt-turbo")]
        [InlineData("qwen-mt-flash")]
        [InlineData("qwen-mt-lite")]
        public async Task Streamed_records_are_increments_whether_the_model_streams_cumulatively_or_not(string model)
        {
            TranslationRequest request = TranslationOperation.Create(model, "en", "Chinese", None, None, null, stream: true);
            Assert.Equal(model == "qwen-mt-plus" || model == "qwen-mt-turbo", request.Cumulative);
            TestClient test = _fixture.CreateClient();

            await TranslationOperation.RunAsync(test.Client, request, new[] { "The quick brown fox jumps." }, 4, test.Output, default);

            string expected = "[English>Chinese] The quick brown fox jumps.";
            QwenContentChunk[] chunks = test.Output.Objects.OfType<QwenContentChunk>().ToArray();
            Assert.True(chunks.Length > 3);
            Assert.Equal(expected, string.Concat(chunks.Select(c => c.Text)));
            Assert.Equal(expected, test.Output.Objects.OfType<QwenTranslation>().Single().Text);
            Assert.True((bool)_fixture.Server.Requests.Single().BodyJson!["stream"]!);
        }

        [Fact]
        public void The_cumulative_guard_takes_the_new_part_and_appends_anything_else()
        {
            var cumulative = new CumulativeText(cumulative: true);
            Assert.Equal(new[] { "Hel", "lo", "", " world" }, new[] { "Hel", "Hello", "Hello", "Hello world" }.Select(cumulative.Add));
            Assert.Equal("Hello world", cumulative.Text);

            // A "cumulative" model that sends pieces after all still reads right.
            var pieces = new CumulativeText(cumulative: true);
            Assert.Equal(new[] { "ab", "cd" }, new[] { "ab", "cd" }.Select(pieces.Add));
            Assert.Equal("abcd", pieces.Text);

            // An incremental model's piece that happens to repeat the text so far is kept whole.
            var incremental = new CumulativeText(cumulative: false);
            Assert.Equal(new[] { "ha", "ha" }, new[] { "ha", "ha" }.Select(incremental.Add));
            Assert.Equal("haha", incremental.Text);
        }

        [Fact]
        public async Task A_refusal_of_one_text_ends_the_command_after_the_results_before_it()
        {
            _fixture.Server.Enqueue(ServerBehavior.Default());
            _fixture.Server.Enqueue(ServerBehavior.Error(400, "invalid_parameter_error", "Input data may contain inappropriate content.", "data_inspection_failed"));
            TranslationRequest request = TranslationOperation.Create(null, null, "en", None, None, null, stream: false);
            TestClient test = _fixture.CreateClient();

            QwenException error = await Assert.ThrowsAsync<QwenException>(() => TranslationOperation.RunAsync(test.Client, request, new[] { "uno", "dos" }, 1, test.Output, default));

            Assert.Equal("uno", test.Output.Objects.OfType<QwenTranslation>().Single().SourceText);
            Assert.Equal("dos", error.Target);
        }

        [Theory]
        [InlineData("qwen-mt-flash", "Klingon", "UnsupportedLanguage")]
        [InlineData("qwen-mt-lite", "Welsh", "UnsupportedLanguage")]
        [InlineData("qwen-mt-flash", "auto", "UnsupportedLanguage")]
        [InlineData("qwen-mt-flash", " ", "InvalidArgument")]
        [InlineData("qwen-plus", "en", "InvalidArgument")]
        public void Bad_settings_are_refused_before_any_request(string model, string to, string id)
        {
            QwenException error = Assert.Throws<QwenException>(() => TranslationOperation.Create(model, null, to, None, None, null, stream: false));

            Assert.Equal(id, error.ErrorId);
        }

        [Fact]
        public void Empty_pairs_and_an_empty_domain_are_refused()
        {
            Assert.Throws<QwenException>(() => TranslationOperation.Create(null, null, "en", new[] { Pair("工单", " ") }, None, null, stream: false));
            Assert.Throws<QwenException>(() => TranslationOperation.Create(null, null, "en", None, None, "  ", stream: false));
        }

        [Fact]
        public void Only_user_text_can_be_translated()
        {
            Assert.Equal("hola", TranslationOperation.TextOf(new QwenMessage(QwenRole.User, "hola")));
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => TranslationOperation.TextOf(new QwenMessage(QwenRole.System, "be formal"))).ErrorId);
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => TranslationOperation.TextOf(new QwenMessage(QwenRole.Assistant, "hi"))).ErrorId);
            Assert.Equal(QwenErrorCategory.InvalidType, Assert.Throws<QwenException>(() => TranslationOperation.TextOf(42)).Category);
        }

        [Fact]
        public void Languages_are_92_or_31_for_lite_matched_by_name_or_code_in_any_case()
        {
            Assert.Equal(92, TranslationLanguages.CountFor("qwen-mt-plus"));
            Assert.Equal(31, TranslationLanguages.CountFor("qwen-mt-lite"));
            Assert.Equal("Traditional Chinese", TranslationLanguages.Resolve("ZH_TW", "qwen-mt-flash", "To", false));
            Assert.Equal("Norwegian Bokmål", TranslationLanguages.Resolve("norwegian bokmål", "qwen-mt-flash", "To", false));
            Assert.Equal("Western Persian", TranslationLanguages.Resolve("Persian", "qwen-mt-lite", "To", false));
            Assert.Equal("auto", TranslationLanguages.Resolve("AUTO", "qwen-mt-flash", "From", true));
            Assert.Equal(new[] { "auto" }, TranslationLanguages.Complete("au", "qwen-mt-flash", allowAuto: true));
            Assert.Empty(TranslationLanguages.Complete("Wel", "qwen-mt-lite", allowAuto: false));
            Assert.Equal(new[] { "Welsh" }, TranslationLanguages.Complete("wel", "qwen-mt-flash", allowAuto: false));
        }
    }
}
