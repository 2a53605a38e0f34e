using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Batch;
using QwenPS.Chat;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Batch
{
    /// <summary>Start-QwenBatch -AsJson / -JsonSchema in every request line, and Receive-QwenBatch reading the answers as JSON.</summary>
    public sealed class BatchJsonOutputTests : IClassFixture<ServerFixture>, IDisposable
    {
        private const string Schema = "{\"title\":\"ticket\",\"type\":\"object\",\"properties\":{\"category\":{\"type\":\"string\",\"enum\":[\"bug\",\"question\"]}},\"required\":[\"category\"],\"additionalProperties\":false}";

        private readonly ServerFixture _fixture;
        private readonly BatchTestRun _run = new BatchTestRun("batch-json");
        private readonly List<string> _verbose = new List<string>();
        private readonly List<string> _warnings = new List<string>();

        public BatchJsonOutputTests(ServerFixture fixture)
        {
            _fixture = fixture;
            fixture.Server.Reset();
        }

        public void Dispose() => _run.Dispose();

        private BatchBuildOptions Options(string model = "qwen-plus", QwenBatchEndpoint endpoint = QwenBatchEndpoint.ChatCompletions) => _run.Options(model, endpoint);

        private BatchBuildOptions Json(string? schema = null, string model = "qwen-plus", bool? thinking = null)
        {
            BatchBuildOptions options = Options(model);
            options.UseJsonOutput(schema == null ? null : JsonSchemaSpec.FromJson(schema, "test"), thinking, _verbose.Add, _warnings.Add);
            return options;
        }

        private static string[] Bodies(BatchInputBuilder builder) =>
            File.ReadAllText(builder.RequestFile, Encoding.UTF8).TrimEnd('\n').Split('\n')
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("body").GetRawText()).ToArray();

        [Fact]
        public void AsJson_writes_json_object_mode_into_every_line_and_the_word_json_where_a_request_lacks_it()
        {
            BatchBuildOptions options = Json();
            options.SystemPrompt = "Classify the ticket.";
            using var builder = new BatchInputBuilder(options);

            builder.Add(BatchInput.FromText("Printer on fire", "a", null));
            builder.Add(BatchInput.FromText("Answer as JSON: printer on fire", "b", null));
            builder.Add(BatchInput.FromMessages(new[] { new QwenMessage(QwenRole.User, "Hi") }, "c", null));
            builder.Complete();

            string[] bodies = Bodies(builder);
            Assert.Equal(
                "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"system\",\"content\":\"Classify the ticket.\"},{\"role\":\"system\",\"content\":\"Reply with JSON.\"},{\"role\":\"user\",\"content\":\"Printer on fire\"}],\"enable_thinking\":false,\"response_format\":{\"type\":\"json_object\"}}",
                bodies[0]);
            Assert.Equal(
                "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"system\",\"content\":\"Classify the ticket.\"},{\"role\":\"user\",\"content\":\"Answer as JSON: printer on fire\"}],\"enable_thinking\":false,\"response_format\":{\"type\":\"json_object\"}}",
                bodies[1]);
            Assert.Equal(
                "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"system\",\"content\":\"Reply with JSON.\"},{\"role\":\"user\",\"content\":\"Hi\"}],\"enable_thinking\":false,\"response_format\":{\"type\":\"json_object\"}}",
                bodies[2]);
            Assert.Equal(2, builder.JsonInstructionsAdded);
        }

        [Fact]
        public void JsonSchema_writes_the_json_schema_form_into_every_line_and_into_the_mapping_header()
        {
            using var builder = new BatchInputBuilder(Json(Schema));

            builder.Add(BatchInput.FromText("Printer on fire", "a", null));
            builder.Complete();
            string mapping = builder.Commit("batch_json");

            Assert.Equal(
                "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"user\",\"content\":\"Printer on fire\"}],\"enable_thinking\":false,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"ticket\",\"schema\":" + Schema + ",\"strict\":true}}}",
                Bodies(builder).Single());
            Assert.Equal(0, builder.JsonInstructionsAdded);
            using BatchMapping read = BatchMapping.TryOpen(mapping, CancellationToken.None)!;
            Assert.True(read.JsonOutput);
            Assert.Equal("ticket", read.JsonSchema!.Name);
            Assert.Equal(Schema, read.JsonSchema.Schema.GetRawText());
        }

        [Fact]
        public void A_batch_without_JSON_output_records_none_in_its_mapping()
        {
            using var builder = new BatchInputBuilder(Options());
            builder.Add(BatchInput.FromText("x", "a", null));
            builder.Complete();

            using BatchMapping read = BatchMapping.TryOpen(builder.Commit("batch_plain"), CancellationToken.None)!;
            Assert.False(read.JsonOutput);
            Assert.Null(read.JsonSchema);
        }

        [Fact]
        public void JSON_output_is_refused_before_anything_is_written_with_thinking_a_thinking_only_model_embeddings_or_a_ready_body()
        {
            QwenException thinking = Assert.Throws<QwenException>(() => Json(thinking: true));
            Assert.Equal(QwenErrorIds.JsonModeWithThinking, thinking.ErrorId);
            Assert.Equal(QwenErrorIds.JsonModeWithThinking, Assert.Throws<QwenException>(() => Json(model: "qwq-plus")).ErrorId);
            BatchBuildOptions embeddings = Options("text-embedding-v4", QwenBatchEndpoint.Embeddings);
            QwenException embed = Assert.Throws<QwenException>(() => embeddings.UseJsonOutput(null, null, _verbose.Add, _warnings.Add));
            Assert.Equal(QwenErrorIds.InvalidArgument, embed.ErrorId);
            Assert.Empty(embeddings.Fields);

            using var builder = new BatchInputBuilder(Json());
            QwenException body = Assert.Throws<QwenException>(() => builder.Add(BatchInput.FromBody(new Dictionary<string, object?> { ["messages"] = new List<object?>() }, "r", null)));
            Assert.Equal(QwenErrorIds.BatchInputInvalid, body.ErrorId);
            Assert.Contains("response_format", body.Message);
        }

        [Fact]
        public void A_model_that_thinks_by_default_is_told_not_to_and_the_test_model_is_warned_about()
        {
            BatchBuildOptions hybrid = Json(model: "qwen3.5-plus");
            Assert.Contains(_verbose, v => v.Contains("thinks by default"));
            Assert.Equal(false, hybrid.Fields.Single(f => f.Key == ChatFields.EnableThinking).Value);

            Json(model: "batch-test-model");
            Assert.Contains("will not read as JSON", Assert.Single(_warnings));
        }

        [Fact]
        public async Task Received_answers_of_a_JSON_batch_are_parsed_and_an_unusable_one_fails_its_result_with_its_text_and_usage_kept()
        {
            TestClient test = _fixture.CreateClient();
            QwenBatch batch = await RunAsync(test, Json(), "Printer on fire", "Paper jam [badjson]", "Toner low [badjson:Truncated]");

            List<QwenBatchResult> results = await ReceiveAsync(test, batch, asObject: false);

            Assert.Equal("Succeeded", results[0].Status);
            Assert.Equal("{\"answer\":\"Answer to: Printer on fire\"}", results[0].Value);
            QwenBatchResult invalid = results[1];
            Assert.Equal(("Failed", BatchResultConverter.JsonAnswerInvalidCode), (invalid.Status, invalid.ErrorCode));
            Assert.StartsWith("The answer is not valid JSON: ", invalid.Error);
            Assert.Equal("{\"answer\":\"Answer to: Paper jam [badjson]\",}", invalid.Content);
            Assert.Null(invalid.Value);
            Assert.True(invalid.Usage!.TotalTokens > 0);
            Assert.Equal(200, invalid.StatusCode);
            Assert.Equal("The answer was cut off at the token limit (finish_reason length), so its JSON is incomplete.", results[2].Error);
        }

        [Fact]
        public async Task Received_answers_of_a_schema_batch_are_checked_against_the_schema_the_mapping_recorded()
        {
            TestClient test = _fixture.CreateClient();
            QwenBatch batch = await RunAsync(test, Json(Schema), "Printer on fire", "Paper jam [badjson:SchemaViolation]");

            List<QwenBatchResult> results = await ReceiveAsync(test, batch, asObject: false);

            Assert.Equal("{\"category\":\"bug\"}", results[0].Value);
            Assert.Equal(("Failed", BatchResultConverter.JsonAnswerInvalidCode), (results[1].Status, results[1].ErrorCode));
            Assert.StartsWith("The answer does not match the JSON schema: ", results[1].Error);
        }

        [Fact]
        public async Task AsObject_reads_the_answers_of_any_batch_as_JSON_and_without_it_a_plain_batch_is_left_as_text()
        {
            TestClient test = _fixture.CreateClient();
            QwenBatch batch = await RunAsync(test, Options(), "hello");

            QwenBatchResult plain = (await ReceiveAsync(test, batch, asObject: false)).Single();
            QwenBatchResult forced = (await ReceiveAsync(test, batch, asObject: true)).Single();

            Assert.Equal(("Succeeded", "Answer to: hello"), (plain.Status, plain.Content));
            Assert.Null(plain.Value);
            Assert.Equal(("Failed", BatchResultConverter.JsonAnswerInvalidCode), (forced.Status, forced.ErrorCode));
            Assert.Equal("Answer to: hello", forced.Content);
        }

        private Task<QwenBatch> RunAsync(TestClient test, BatchBuildOptions options, params string[] prompts) => _run.RunAsync(test, options, prompts);

        private Task<List<QwenBatchResult>> ReceiveAsync(TestClient test, QwenBatch batch, bool asObject) =>
            _run.ReceiveAsync(test, batch, options: new BatchReceiveOptions { AsObject = asObject });
    }
}
