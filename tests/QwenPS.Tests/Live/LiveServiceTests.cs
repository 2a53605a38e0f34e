using System;
using System.Linq;
using System.Runtime.CompilerServices;
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

namespace QwenPS.Tests.Live
{
    /// <summary>A fact that runs only when $DASHSCOPE_API_KEY is set (the real service cannot be reached otherwise).</summary>
    public sealed class LiveFactAttribute : FactAttribute
    {
        // xunit v3 records where each fact is declared through these caller-info parameters.
        public LiveFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
            : base(sourceFilePath, sourceLineNumber)
        {
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ApiKey.EnvironmentVariable)))
            {
                Skip = "Live DashScope test: set DASHSCOPE_API_KEY (and DASHSCOPE_COMPATIBLE_BASE_URL for a region other than Beijing) to run it.";
            }
        }
    }

    /// <summary>Calls the real DashScope service with the caller's key, the way the cmdlets do.</summary>
    public class LiveServiceTests
    {
        private static (QwenClient Client, CollectingOutput Output) Create()
        {
            var output = new CollectingOutput();
            // Key, endpoint and proxy from the environment, as a cmdlet without parameters resolves them.
            QwenClient client = QwenClientFactory.Create(new QwenClientOptions { TimeoutSec = 120 }).CreateClient(output);
            return (client, output);
        }

        [LiveFact]
        public async Task A_streamed_thinking_chat_returns_reasoning_answer_and_usage_from_the_real_service()
        {
            var (client, output) = Create();
            var options = new ChatRun { Stream = true };
            var request = ChatOperation.PrepareRequest(
                options,
                new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, "用一个词回答：天空是什么颜色？") })
                {
                    [ChatFields.EnableThinking] = true,
                    [ChatFields.ThinkingBudget] = 256,
                    [ChatFields.MaxTokens] = 64,
                },
                output.WriteVerbose);

            QwenChatResponse response = await ChatOperation.RunAsync(client, request, options, output, CancellationToken.None);

            Assert.False(string.IsNullOrWhiteSpace(response.Content));
            Assert.NotNull(response.Usage);
            Assert.NotNull(response.RequestId);
            Assert.Contains(output.Objects, o => o is QwenContentChunk);
            Assert.IsType<QwenUsage>(output.Objects.Last());
            string key = Environment.GetEnvironmentVariable(ApiKey.EnvironmentVariable)!.Trim();
            Assert.All(output.AllText, text => Assert.DoesNotContain(key, text));
        }
    }
}
