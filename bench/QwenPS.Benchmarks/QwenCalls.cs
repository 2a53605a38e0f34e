using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Engine;
using QwenPS.Errors;
using QwenPS.Files;
using QwenPS.Files.Wire;
using QwenPS.Output;
using QwenPS.Session;
using QwenPS.Transport;

namespace QwenPS.Benchmarks
{
    /// <summary>How the scenarios call QwenPS: as a cmdlet would, minus PowerShell.</summary>
    internal static class QwenCalls
    {
        public const string Key = "sk-bench0123456789abcdef";

        /// <summary>The JSON a raw HttpClient baseline sends: the same bytes QwenPS writes for <paramref name="request"/>.</summary>
        public static byte[] Body(ChatRequest request) => ChatRequestWriter.Write(request);

        /// <summary>The baseline's request: what a module author would send by hand, the same body and key as QwenPS.</summary>
        public static HttpRequestMessage RawChat(Uri baseUri, byte[] body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, baseUri + "/chat/completions") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            return request;
        }

        public static ChatRequest Request(string prompt, bool stream) =>
            new ChatRequest("qwen-plus", new[] { new QwenMessage(QwenRole.User, prompt) }) { Stream = stream };

        /// <summary>What the cmdlets use (one pooled HttpClient per proxy setting), without environment proxies.</summary>
        public static HttpClient CreateHttpClient() => HttpClientCache.Create(ProxySettings.Default, _ => null);

        /// <summary>A fresh client per call, built by the module's factory as each cmdlet invocation does, around the shared HttpClient.</summary>
        public static QwenClient Client(HttpClient http, Uri baseUri, IQwenOutput output) =>
            QwenClientFactory.Create(new QwenClientOptions
            {
                BaseUri = baseUri,
                Environment = name => name == ApiKey.EnvironmentVariable ? Key : null,
                Http = http,
            }).CreateClient(output);

        /// <summary>
        /// Runs one chat the way Invoke-QwenChat does: the engine works on pool threads and writes into an
        /// OutputPump, and the calling thread (the pipeline thread) forwards each record to <paramref name="target"/>.
        /// </summary>
        public static QwenChatResponse RunThroughPump(HttpClient http, Uri baseUri, ChatRequest request, IQwenOutput target)
        {
            var options = new ChatRun { Stream = request.Stream };
            using (var pump = new OutputPump())
            using (var cancellation = new CancellationTokenSource())
            {
                // Task.Run as QwenCmdlet.RunEngine does: the engine starts on the pool, not on the pipeline thread.
                return pump.Run(output => Task.Run(() => ChatOperation.RunAsync(Client(http, baseUri, output), request, options, output, cancellation.Token)), target, cancellation);
            }
        }

        public static Task<QwenChatResponse> ChatAsync(HttpClient http, Uri baseUri, ChatRequest request, Action<object>? onRecord) =>
            new ChatApi(Client(http, baseUri, NullOutput.Instance).Transport).ChatAsync(request, onRecord, CancellationToken.None);
    }

    /// <summary>An output that drops everything except objects, which it hands to an optional callback.</summary>
    internal sealed class NullOutput : IQwenOutput
    {
        public static readonly NullOutput Instance = new NullOutput(null);

        private readonly Action<object>? _onObject;

        public NullOutput(Action<object>? onObject)
        {
            _onObject = onObject;
        }

        public void WriteObject(object item) => _onObject?.Invoke(item);

        public void WriteVerbose(string message)
        {
        }

        public void WriteDebug(string message)
        {
        }

        public void WriteWarning(string message)
        {
        }

        public void WriteProgress(QwenProgress progress)
        {
        }

        public void WriteLive(LiveText text)
        {
        }

        public void WriteError(QwenException error)
        {
        }
    }
}
