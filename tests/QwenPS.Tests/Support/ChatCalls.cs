using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Chat;

namespace QwenPS.Tests.Support
{
    /// <summary>One chat as Invoke-QwenChat makes it: the request prepared (streaming decided), then run over the test client's endpoint.</summary>
    internal static class ChatCalls
    {
        public static Task<QwenChatResponse> RunAsync(TestClient test, ChatRun run, IReadOnlyList<QwenMessage> messages, string model, CancellationToken token = default)
        {
            ChatRequest request = ChatOperation.PrepareRequest(run, new ChatRequest(model, messages), test.Output.WriteVerbose);
            return ChatOperation.RunAsync(test.Chat, request, run, test.Output, token);
        }
    }
}
