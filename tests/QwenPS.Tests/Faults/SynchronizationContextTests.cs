using System;
using System.Threading;
using Xunit;
using QwenPS.Chat;
using QwenPS.Tests.Support;
using QwenPS.TestServer;

namespace QwenPS.Tests.Faults
{
    /// <summary>
    /// A host with a SynchronizationContext (the ISE, a WinForms or WPF runbook tool) that blocks on a QwenPS call must
    /// not deadlock: every await in the engine must leave the caller's context (ConfigureAwait(false)). The context
    /// here queues what is posted to it and never runs it, as a UI thread blocked on the call would.
    /// </summary>
    public sealed class SynchronizationContextTests : FaultTestBase
    {
        public SynchronizationContextTests(FaultFixture fixture)
            : base(fixture)
        {
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_chat_blocked_on_from_a_thread_with_a_synchronization_context_completes(bool stream)
        {
            Server.Reset();
            Server.Enqueue(ServerBehavior.Reply(new ChatReply { ContentChunks = new[] { "hel", "lo" } }));
            TestClient test = Fixture.CreateClient();
            var run = new ChatRun { Stream = stream };
            ChatRequest request = ChatOperation.PrepareRequest(run, new ChatRequest("qwen-plus", new[] { Fault.User("x") }), test.Output.WriteVerbose);
            QwenChatResponse? response = null;
            Exception? failure = null;

            var thread = new Thread(() =>
            {
                SynchronizationContext.SetSynchronizationContext(new NeverRunContext());
                try
                {
                    response = ChatOperation.RunAsync(test.Chat, request, run, test.Output, CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            });
            thread.IsBackground = true;
            thread.Start();

            Assert.True(thread.Join(TimeSpan.FromSeconds(20)), "The call waited for the blocked thread's context: an await without ConfigureAwait(false).");
            Assert.Null(failure);
            Assert.Equal("hello", response!.Content);
        }
    }
}
