using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Files;
using QwenPS.Output;
using QwenPS.Session;
using QwenPS.Tests.Support;
using QwenPS.Transport;

namespace QwenPS.Tests.Unit
{
    public class OutputPumpTests
    {
        [Fact]
        public void Writes_from_pool_threads_arrive_in_order_on_the_calling_thread()
        {
            int callingThread = Environment.CurrentManagedThreadId;
            var threads = new List<int>();
            var target = new CollectingOutput { OnObject = _ => threads.Add(Environment.CurrentManagedThreadId) };
            using var pump = new OutputPump();
            using var cancellation = new CancellationTokenSource();

            int result = pump.Run(
                output => Task.Run(async () =>
                {
                    for (int i = 0; i < 200; i++)
                    {
                        output.WriteObject(i);
                        if (i % 50 == 0)
                        {
                            output.WriteVerbose("at " + i);
                            await Task.Yield();
                        }
                    }

                    return 42;
                }),
                target,
                cancellation);

            Assert.Equal(42, result);
            Assert.Equal(Enumerable.Range(0, 200).Cast<object>(), target.Objects);
            Assert.All(threads, t => Assert.Equal(callingThread, t));
            Assert.Equal(new[] { "at 0", "at 50", "at 100", "at 150" }, target.Verbose);
            Assert.Equal("at 50", (string)target.Items.First(i => i.Stream == "Verbose" && (string)i.Value == "at 50").Value);
            int verboseIndex = target.Items.ToList().FindIndex(i => i.Stream == "Verbose" && (string)i.Value == "at 50");
            Assert.Equal(50, target.Items[verboseIndex - 1].Value);
        }

        [Fact]
        public void A_record_is_forwarded_before_the_work_finishes()
        {
            var forwarded = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var target = new CollectingOutput { OnObject = _ => forwarded.TrySetResult(true) };
            using var pump = new OutputPump();
            using var cancellation = new CancellationTokenSource();

            bool sawForwardWhileRunning = pump.Run(
                output => Task.Run(async () =>
                {
                    output.WriteObject("first");
                    return await Task.WhenAny(forwarded.Task, Task.Delay(5000)) == forwarded.Task;
                }),
                target,
                cancellation);

            Assert.True(sawForwardWhileRunning);
        }

        [Fact]
        public void The_work_exception_is_rethrown_after_earlier_writes_are_delivered()
        {
            var target = new CollectingOutput();
            using var pump = new OutputPump();
            using var cancellation = new CancellationTokenSource();

            var error = Assert.Throws<QwenException>(() => pump.Run<int>(
                output => Task.Run(new Func<int>(() =>
                {
                    output.WriteObject("delivered");
                    throw new QwenException(QwenErrorIds.StreamInterrupted, QwenErrorCategory.ConnectionError, "cut");
                })),
                target,
                cancellation));

            Assert.Equal(QwenErrorIds.StreamInterrupted, error.ErrorId);
            Assert.Equal(new object[] { "delivered" }, target.Objects);
        }

        [Fact]
        public void When_the_consumer_throws_the_work_is_cancelled_and_awaited()
        {
            var target = new CollectingOutput { OnObject = _ => throw new InvalidOperationException("downstream stopped") };
            using var pump = new OutputPump();
            using var cancellation = new CancellationTokenSource();
            Task<int>? work = null;

            Assert.Throws<InvalidOperationException>(() => pump.Run(
                output => work = Task.Run(async () =>
                {
                    output.WriteObject("one");
                    await Task.Delay(Timeout.Infinite, cancellation.Token);
                    return 1;
                }),
                target,
                cancellation));

            Assert.True(cancellation.IsCancellationRequested);
            Assert.True(work!.IsCompleted);
        }
    }

    public class LiveDisplayTests
    {
        [Fact]
        public void Reasoning_is_dim_a_blank_line_separates_the_answer_and_the_display_ends_with_a_newline()
        {
            var written = new List<LiveText>();
            var live = new LiveDisplay(written.Add);
            live.OnRecord(new QwenReasoningChunk("think"));
            live.OnRecord(new QwenReasoningChunk("ing"));
            live.OnRecord(new QwenContentChunk("answer"));
            live.OnRecord(new QwenUsage(1, 2, 3, null, null));
            live.Complete();

            string nl = Environment.NewLine;
            Assert.Equal(new[] { "think", "ing", nl + nl, "answer", nl }, written.Select(w => w.Text));
            Assert.Equal(new[] { true, true, false, false, false }, written.Select(w => w.Dim));
            Assert.DoesNotContain(written, w => w.Text.Contains('\u001b'));
            Assert.DoesNotContain(written, w => w.IsLine);
        }

        [Fact]
        public void An_answer_without_reasoning_is_plain_and_nothing_is_written_for_an_empty_stream()
        {
            var written = new List<LiveText>();
            var live = new LiveDisplay(written.Add);
            live.Complete();
            Assert.Empty(written);

            live.OnRecord(new QwenContentChunk("done\n"));
            live.Complete();
            Assert.Equal(new[] { "done\n" }, written.Select(w => w.Text));
        }

        [Fact]
        public void In_whole_line_mode_each_write_is_a_line_and_reasoning_and_answer_stay_apart()
        {
            var written = new List<LiveText>();
            var live = new LiveDisplay(written.Add, wholeLines: true);
            foreach (string piece in new[] { "thi", "nk\nmo", "re" })
            {
                live.OnRecord(new QwenReasoningChunk(piece));
            }

            foreach (string piece in new[] { "ans", "wer\u001b[2J\nlast" })
            {
                live.OnRecord(new QwenContentChunk(piece));
            }

            live.Complete();

            // Each line once, without its line break (the host ends it): a 6> file or a runbook log gets these lines
            // and no empty line after each one.
            Assert.Equal(new[] { "think", "more", string.Empty, "answer [2J", "last" }, written.Select(w => w.Text));
            Assert.Equal(new[] { true, true, false, false, false }, written.Select(w => w.Dim));
            Assert.All(written, w => Assert.True(w.IsLine));
        }
    }

    public class ChatOperationTests
    {
        [Fact]
        public void Messages_keep_pipeline_order_and_the_prompt_comes_last()
        {
            var first = new QwenMessage(QwenRole.System, "sys");
            var second = new QwenMessage(QwenRole.User, "u1");
            IReadOnlyList<QwenMessage> messages = ChatOperation.BuildMessages(new object[] { first, second }, "u2");
            Assert.Equal(new[] { "sys", "u1", "u2" }, messages.Select(m => m.Content));
            Assert.Equal(QwenRole.User, messages[2].RoleValue);
        }

        [Fact]
        public void A_piped_response_contributes_its_history_including_the_answer_but_no_reasoning()
        {
            var aggregator = new QwenPS.Chat.ChatStreamAggregator();
            aggregator.Process(System.Text.Encoding.UTF8.GetBytes("{\"model\":\"qwq-plus\",\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\",\"content\":\"A1\"},\"finish_reason\":\"stop\"}]}"), null);
            QwenChatResponse previous = aggregator.Build(new[] { new QwenMessage(QwenRole.User, "Q1") }, null, false);

            IReadOnlyList<QwenMessage> messages = ChatOperation.BuildMessages(new object[] { previous }, "Q2");
            Assert.Equal(new[] { "Q1", "A1", "Q2" }, messages.Select(m => m.Content));
            Assert.Equal(new[] { QwenRole.User, QwenRole.Assistant, QwenRole.User }, messages.Select(m => m.RoleValue));
            Assert.Equal("qwq-plus", ChatOperation.ResolveModel(null, new object[] { previous }, null));
        }

        [Fact]
        public void Nothing_to_send_or_an_empty_prompt_fails_before_any_request()
        {
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => ChatOperation.BuildMessages(Array.Empty<object>(), null)).ErrorId);
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => ChatOperation.BuildMessages(Array.Empty<object>(), "   ")).ErrorId);
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => ChatOperation.BuildMessages(new object[] { 42 }, "x")).ErrorId);
        }

        [Fact]
        public void Model_resolution_is_parameter_conversation_session_default()
        {
            var session = new ConnectionDefaults(null, null, null, "qwen-max");
            Assert.Equal("qwq-32b", ChatOperation.ResolveModel("qwq-32b", Array.Empty<object>(), session));
            Assert.Equal("qwen-max", ChatOperation.ResolveModel(null, Array.Empty<object>(), session));
            Assert.Equal(ModelCatalog.DefaultModel, ChatOperation.ResolveModel(null, Array.Empty<object>(), null));
        }

        [Theory]
        [InlineData("qwq-32b", false, null, true)]
        [InlineData("qvq-max", false, null, true)]
        [InlineData("qwen3-omni-flash", false, null, true)]
        [InlineData("qwen-plus", false, null, false)]
        [InlineData("qwen-plus", false, true, true)]
        [InlineData("qwen-plus", false, false, false)]
        [InlineData("qwen-plus", true, null, true)]
        public void Stream_only_models_and_thinking_are_streamed_under_the_hood(string model, bool live, bool? thinking, bool streamed)
        {
            var verbose = new List<string>();
            var request = ChatOperation.PrepareRequest(
                new ChatRun { Live = live },
                new ChatRequest(model, new[] { new QwenMessage(QwenRole.User, "x") }) { [ChatFields.EnableThinking] = thinking },
                verbose.Add);
            Assert.Equal(streamed, request.Stream);
            Assert.Equal(thinking, (bool?)request[ChatFields.EnableThinking]);
            if (streamed && !live)
            {
                Assert.Single(verbose);
            }
        }

        [Theory]
        [InlineData("qwen3-32b", true)]
        [InlineData("qwen3-235b-a22b", true)]
        [InlineData("qwen3-30b-a3b", true)]
        [InlineData("qwen3.5-plus", true)]
        [InlineData("qwen3-next-80b-a3b-thinking", true)]
        [InlineData("qwen3-max", false)]
        [InlineData("qwen3-coder-plus", false)]
        [InlineData("qwen-plus", false)]
        public void Models_that_think_by_default_are_known(string model, bool thinks)
        {
            Assert.Equal(thinks, ModelCatalog.ThinksByDefault(model));
        }

        [Fact]
        public void A_model_that_thinks_by_default_is_streamed_unless_thinking_is_switched_off()
        {
            var messages = new[] { new QwenMessage(QwenRole.User, "x") };
            Assert.True(ChatOperation.PrepareRequest(new ChatRun(), new ChatRequest("qwen3-32b", messages), _ => { }).Stream);
            QwenPS.Chat.ChatRequest off = ChatOperation.PrepareRequest(new ChatRun(), new ChatRequest("qwen3-32b", messages) { [ChatFields.EnableThinking] = false }, _ => { });
            Assert.False(off.Stream);
            Assert.False((bool?)off[ChatFields.EnableThinking]);
        }

        [Fact]
        public void A_blank_model_is_an_error_not_the_default()
        {
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => ChatOperation.ResolveModel("  ", Array.Empty<object>(), null)).ErrorId);
        }
    }

    public class MessageFactoryTests
    {
        [Fact]
        public void A_message_keeps_role_and_content()
        {
            QwenMessage message = MessageFactory.Create(QwenRole.Assistant, "你好", null);
            Assert.Equal(QwenRole.Assistant, message.RoleValue);
            Assert.Equal("你好", message.Content);
            Assert.Empty(message.ToolCalls);
            Assert.Equal("assistant: 你好", message.ToString());
        }

        [Theory]
        [InlineData(QwenRole.User, "", null)]
        [InlineData(QwenRole.Tool, "result", null)]
        [InlineData(QwenRole.User, "x", "call_1")]
        public void Invalid_messages_are_rejected(QwenRole role, string content, string? toolCallId)
        {
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => MessageFactory.Create(role, content, toolCallId)).ErrorId);
        }

        [Fact]
        public void Only_messages_and_responses_pass_through()
        {
            Assert.True(MessageFactory.IsConversationItem(new QwenMessage(QwenRole.User, "x")));
            Assert.False(MessageFactory.IsConversationItem("text"));
            Assert.False(MessageFactory.IsConversationItem(null));
        }
    }

    public class FileReferenceTests
    {
        [Fact]
        public void Several_ids_become_one_comma_separated_system_message()
        {
            QwenMessage message = FileReferenceOperation.BuildReference(new[] { "file-fe-AAA", "fileid://file-fe-BBB", " file-fe-CCC " });
            Assert.Equal(QwenRole.System, message.RoleValue);
            Assert.Equal("fileid://file-fe-AAA,fileid://file-fe-BBB,fileid://file-fe-CCC", message.Content);
            Assert.True(message.IsFileReference);
        }

        [Theory]
        [InlineData("a,b")]
        [InlineData("")]
        [InlineData("file fe")]
        public void Malformed_ids_are_rejected(string id)
        {
            Assert.Equal(QwenErrorIds.InvalidArgument, Assert.Throws<QwenException>(() => FileReferenceOperation.BuildReference(new[] { id })).ErrorId);
        }

        [Fact]
        public void More_than_a_hundred_ids_are_rejected()
        {
            var ids = Enumerable.Range(0, 101).Select(i => "file-fe-" + i).ToArray();
            Assert.Equal(QwenErrorCategory.LimitsExceeded, Assert.Throws<QwenException>(() => FileReferenceOperation.BuildReference(ids)).Category);
        }
    }

    public sealed class FileUploadRulesTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder("rules");

        public void Dispose() => _folder.Dispose();

        private string Make(string name, long size) => _folder.Sized(name, size);

        [Fact]
        public void Supported_documents_and_images_within_limits_pass()
        {
            Assert.Equal(10, FileUploadRules.Check(Make("report.PDF", 10), FilePurposes.FileExtract));
            Assert.Equal(FileUploadRules.MaxImageBytes, FileUploadRules.Check(Make("scan.jpg", FileUploadRules.MaxImageBytes), FilePurposes.FileExtract));
            Assert.Equal(FileUploadRules.MaxDocumentBytes, FileUploadRules.Check(Make("big.txt", FileUploadRules.MaxDocumentBytes), FilePurposes.FileExtract));
        }

        [Theory]
        [InlineData("missing.pdf", -1, QwenErrorIds.FileNotFound)]
        [InlineData("empty.txt", 0, QwenErrorIds.FileEmpty)]
        [InlineData("program.exe", 10, QwenErrorIds.UnsupportedFileType)]
        [InlineData("huge.pdf", FileUploadRules.MaxDocumentBytes + 1, QwenErrorIds.FileTooLarge)]
        [InlineData("huge.png", FileUploadRules.MaxImageBytes + 1, QwenErrorIds.FileTooLarge)]
        public void Bad_files_fail_with_a_clear_id_naming_the_path(string name, long size, string id)
        {
            string path = size < 0 ? _folder[name] : Make(name, size);
            QwenException error = Assert.Throws<QwenException>(() => FileUploadRules.Check(path, FilePurposes.FileExtract));
            Assert.Equal(id, error.ErrorId);
            Assert.Equal(path, error.Target);
        }

        [Fact]
        public void A_directory_is_not_a_file()
        {
            QwenException error = Assert.Throws<QwenException>(() => FileUploadRules.Check(_folder.Path, FilePurposes.FileExtract));
            Assert.Equal(QwenErrorIds.FileNotFound, error.ErrorId);
            Assert.Contains("directory", error.Message);
        }

        [Fact]
        public void The_file_extract_rules_apply_only_to_file_extract()
        {
            string jsonl = Make("requests.jsonl", 10);
            Assert.Equal(QwenErrorIds.UnsupportedFileType, Assert.Throws<QwenException>(() => FileUploadRules.Check(jsonl, FilePurposes.FileExtract)).ErrorId);
            Assert.Equal(10, FileUploadRules.Check(jsonl, FilePurposes.Batch));
            Assert.Equal(FileUploadRules.MaxDocumentBytes + 1, FileUploadRules.Check(Make("big.jsonl", FileUploadRules.MaxDocumentBytes + 1), FilePurposes.Batch));

            // What every purpose needs: an existing, non-empty file.
            Assert.Equal(QwenErrorIds.FileEmpty, Assert.Throws<QwenException>(() => FileUploadRules.Check(Make("empty.jsonl", 0), FilePurposes.Batch)).ErrorId);
            Assert.Equal(QwenErrorIds.FileNotFound, Assert.Throws<QwenException>(() => FileUploadRules.Check(_folder["gone.jsonl"], FilePurposes.Batch)).ErrorId);
        }

        [Fact]
        public void Non_ascii_names_get_an_ascii_fallback()
        {
            Assert.Equal("____.pdf", FileUploadRules.AsciiFileName("年度报告.pdf"));
            Assert.Equal("a_b.txt", FileUploadRules.AsciiFileName("a\"b.txt"));
        }
    }
}
