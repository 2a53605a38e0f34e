using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Engine;
using QwenPS.Errors;
using QwenPS.Files;
using QwenPS.Files.Wire;
using QwenPS.Output;
using QwenPS.TestServer;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Faults
{
    /// <summary>The local server for the fault suite, expecting the canary key (so every request carries it).</summary>
    public sealed class FaultFixture : ServerFixture
    {
        /// <summary>"sk-canary-" + 32 hex: shaped like a DashScope key, and unique enough to grep for.</summary>
        public const string CanaryKey = "sk-canary-5f3c9e1a7b2d4086a1c3e5f7092b4d6e";

        /// <summary>A canary that is not key-shaped: only the "known key" redaction can catch it.</summary>
        public const string PlainCanaryKey = "QWENPS-PLAIN-CANARY-8d41c07e2b9a4f63";

        public FaultFixture()
            : base(CanaryKey)
        {
        }
    }

    /// <summary>A fault test class: one canary-key server per class, reset before each test.</summary>
    public abstract class FaultTestBase : IClassFixture<FaultFixture>
    {
        protected FaultTestBase(FaultFixture fixture)
        {
            Fixture = fixture;
            fixture.Server.Reset();
        }

        protected FaultFixture Fixture { get; }

        protected DashScopeTestServer Server => Fixture.Server;
    }

    /// <summary>What one faulted call did: its result or its exception, how long it took, and what it wrote.</summary>
    internal sealed class FaultOutcome
    {
        public FaultOutcome(TestClient test, object? result, Exception? error, TimeSpan elapsed, bool streamed)
        {
            Test = test;
            Result = result;
            Error = error;
            Elapsed = elapsed;
            Streamed = streamed;
        }

        public TestClient Test { get; }

        public object? Result { get; }

        public Exception? Error { get; }

        public TimeSpan Elapsed { get; }

        public bool Streamed { get; }

        public CollectingOutput Output => Test.Output;

        /// <summary>The content chunks written to the output, joined in the order they came.</summary>
        public string DeliveredContent => string.Concat(Output.Objects.OfType<QwenContentChunk>().Select(c => c.Text));

        public string DeliveredReasoning => string.Concat(Output.Objects.OfType<QwenReasoningChunk>().Select(c => c.Text));

        /// <summary>The response, the partial response carried by the error, or the one kept after a stop.</summary>
        public QwenChatResponse? Answer =>
            Result as QwenChatResponse ?? (Error as QwenException)?.PartialResponse ?? (Error is OperationCanceledException ? Test.Chat.LastPartialResponse : null);

        public T Success<T>()
        {
            Assert.True(Error == null, "Expected success, got " + Error);
            return Assert.IsType<T>(Result);
        }

        public QwenChatResponse Success() => Success<QwenChatResponse>();

        public QwenException Failure(string errorId, QwenErrorCategory category)
        {
            QwenException error = Assert.IsType<QwenException>(Error);
            Assert.True(errorId == error.ErrorId && category == error.Category, "Expected " + errorId + "/" + category + ", got " + error.ErrorId + "/" + error.Category + ": " + error.Message);
            return error;
        }

        /// <summary>
        /// The checks every fault case makes: the server saw exactly <paramref name="requests"/> API requests, the call
        /// ended within <paramref name="within"/>, the records written are in order and are exactly what the response
        /// (or partial response) holds, and the key is in nothing that was written or thrown.
        /// </summary>
        /// <param name="wellOrderedWire">The server sent reasoning before content and usage last, as the service does
        /// (the fuzzer's streams need not): then the records must come in that order too.</param>
        public FaultOutcome Verify(DashScopeTestServer? server, int requests, TimeSpan within, bool wellOrderedWire = true)
        {
            if (server != null)
            {
                IReadOnlyList<RecordedRequest> seen = server.Requests;
                Assert.True(
                    requests == seen.Count,
                    "Expected " + requests + " request(s), the server saw " + seen.Count + ": " + string.Join("; ", seen) +
                    ". Warnings: " + string.Join(" | ", Output.Warnings) + ". Outcome: " + (Error?.Message ?? "success"));
            }

            Assert.True(Elapsed < within, "The call took " + Elapsed.TotalMilliseconds + " ms; the bound is " + within.TotalMilliseconds + " ms.");
            VerifyRecords(wellOrderedWire);
            KeyLeaks.AssertNone(this, Test.Client.Settings.ApiKey.Reveal());
            return this;
        }

        /// <summary>Streamed: chunks in order (reasoning before content, usage last) and equal to the (partial) answer.
        /// Not streamed: the one response, or the partial response before the error, and nothing else.</summary>
        private void VerifyRecords(bool wellOrderedWire)
        {
            IReadOnlyList<object> records = Output.Objects;
            QwenChatResponse? answer = Answer;
            if (Streamed && !wellOrderedWire)
            {
                Assert.Equal(answer?.Content ?? string.Empty, DeliveredContent);
                Assert.Equal(answer?.Reasoning ?? string.Empty, DeliveredReasoning);
            }
            else if (Streamed)
            {
                int firstContent = records.ToList().FindIndex(r => r is QwenContentChunk);
                if (firstContent >= 0)
                {
                    Assert.DoesNotContain(records.Skip(firstContent), r => r is QwenReasoningChunk);
                }

                int usage = records.ToList().FindIndex(r => r is QwenUsage);
                Assert.True(usage < 0 || usage == records.Count - 1, "The usage record must come last.");
                Assert.Equal(answer?.Content ?? string.Empty, DeliveredContent);
                Assert.Equal(answer?.Reasoning ?? string.Empty, DeliveredReasoning);
            }
            else if ((Result as QwenChatResponse ?? (Error as QwenException)?.PartialResponse) is QwenChatResponse written)
            {
                Assert.Same(written, Assert.Single(records));
            }
            else
            {
                Assert.Empty(records);
            }

            if (answer != null)
            {
                Assert.Equal(Error != null, answer.Incomplete);
            }
        }
    }

    internal static class Fault
    {
        /// <summary>Idle timeout for a case that must time out: short, so the suite stays fast.</summary>
        public static readonly TimeSpan ShortIdle = TimeSpan.FromMilliseconds(300);

        /// <summary>Idle timeout for a case where one attempt times out and the next must succeed: long enough that a
        /// stall of a loaded CI box (600 ms has been seen) cannot trip the good attempt too.</summary>
        public static readonly TimeSpan RetryIdle = TimeSpan.FromMilliseconds(1500);

        /// <summary>Bound for a case that never really waits: generous, because the suite runs in parallel on 2 cores.</summary>
        public static readonly TimeSpan Quick = TimeSpan.FromSeconds(5);

        public static QwenMessage User(string text) => new QwenMessage(QwenRole.User, text);

        /// <summary>One Invoke-QwenChat call through <see cref="ChatOperation.RunAsync"/>, as the cmdlet makes it.</summary>
        public static async Task<FaultOutcome> ChatAsync(TestClient test, bool stream = true, string prompt = "x", string model = "qwen-plus", CancellationToken token = default)
        {
            var options = new ChatRun { Stream = stream };
            ChatRequest request = ChatOperation.PrepareRequest(options, new ChatRequest(model, new[] { User(prompt) }), test.Output.WriteVerbose);
            return await RunAsync(test, () => ChatOperation.RunAsync(test.Chat, request, options, test.Output, token), stream).ConfigureAwait(false);
        }

        /// <summary>Runs any engine call, timing it and catching what it throws.</summary>
        public static async Task<FaultOutcome> RunAsync<T>(TestClient test, Func<Task<T>> work, bool streamed = false)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                T result = await work().ConfigureAwait(false);
                return new FaultOutcome(test, result, null, clock.Elapsed, streamed);
            }
            catch (Exception ex)
            {
                return new FaultOutcome(test, null, ex, clock.Elapsed, streamed);
            }
        }

        /// <summary>"No running task left behind": the server sees every request of the call end, soon.</summary>
        public static async Task AssertServerIdleAsync(DashScopeTestServer server, TimeSpan? within = null)
        {
            var clock = Stopwatch.StartNew();
            TimeSpan limit = within ?? TimeSpan.FromSeconds(3);
            while (server.ActiveRequests != 0)
            {
                Assert.True(clock.Elapsed < limit, server.ActiveRequests + " request(s) still active on the server after " + limit.TotalSeconds + " s.");
                await Task.Delay(10).ConfigureAwait(false);
            }
        }

        /// <summary>A loopback port nothing listens on (bound, then released).</summary>
        public static int ClosedPort()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        /// <summary>The reply "0123456789abcdef" in 4-char chunks: role chunk, 4 content chunks, finish (and usage).</summary>
        public static ChatReply Sixteen => ChatReply.FromText("0123456789abcdef");

        public static Dictionary<string, string> Headers(params (string Name, string Value)[] headers) =>
            headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Checks for the key in everything a run produced: every stream, every exception (inner ones and stack
    /// included), and ToString() and the public properties of every record.</summary>
    internal static class KeyLeaks
    {
        public static void AssertNone(FaultOutcome outcome, string key)
        {
            var texts = new List<(string Where, string Text)>();
            foreach (CollectingOutput.Written item in outcome.Output.Items)
            {
                texts.Add((item.Stream, Describe(item.Value)));
            }

            if (outcome.Error != null)
            {
                texts.Add(("exception", Describe(outcome.Error)));
            }

            if (outcome.Result != null)
            {
                texts.Add(("result", Describe(outcome.Result)));
            }

            if (outcome.Test.Chat.LastPartialResponse is QwenChatResponse partial)
            {
                texts.Add(("LastPartialResponse", Describe(partial)));
            }

            AssertNone(texts, key);
        }

        public static void AssertNone(IEnumerable<(string Where, string Text)> texts, string key)
        {
            // The key, and any long enough piece of it (a truncated echo is a leak too).
            string middle = key.Substring(key.Length / 4, key.Length / 2);
            foreach ((string where, string text) in texts)
            {
                Assert.False(text.Contains(key, StringComparison.Ordinal), "The key leaked into " + where + ": " + text);
                Assert.False(text.Contains(middle, StringComparison.Ordinal), "Part of the key leaked into " + where + ": " + text);
            }
        }

        /// <summary>ToString() of the value, of every public property (recursively for records and collections),
        /// and for exceptions ToString() (message, inner exceptions, stack) plus every property.</summary>
        public static string Describe(object? value)
        {
            var text = new System.Text.StringBuilder();
            Append(text, value, 0, new HashSet<object>(ReferenceEqualityComparer.Instance));
            return text.ToString();
        }

        private static void Append(System.Text.StringBuilder text, object? value, int depth, HashSet<object> seen)
        {
            if (value == null || depth > 6)
            {
                return;
            }

            if (value is string s)
            {
                text.Append(s).Append('\n');
                return;
            }

            Type type = value.GetType();
            if (type.IsPrimitive || type.IsEnum || value is TimeSpan || value is DateTimeOffset || value is Uri)
            {
                text.Append(value).Append('\n');
                return;
            }

            if (!type.IsValueType && !seen.Add(value))
            {
                return;
            }

            text.Append(value).Append('\n');
            if (value is System.Collections.IEnumerable items)
            {
                foreach (object? item in items)
                {
                    Append(text, item, depth + 1, seen);
                }

                return;
            }

            bool ours = type.Assembly == typeof(QwenException).Assembly || value is Exception;
            if (!ours)
            {
                return;
            }

            foreach (System.Reflection.PropertyInfo property in type.GetProperties())
            {
                if (property.GetIndexParameters().Length > 0 || property.Name == nameof(Exception.TargetSite))
                {
                    continue;
                }

                object? propertyValue;
                try
                {
                    propertyValue = property.GetValue(value);
                }
                catch (System.Reflection.TargetInvocationException)
                {
                    continue;
                }

                Append(text, propertyValue, depth + 1, seen);
            }
        }

        /// <summary>Every string reachable through the fields of QwenPS objects (and the collections, delegates and
        /// exceptions they hold) that contains <paramref name="needle"/> in any case.</summary>
        public static List<string> ReachableStrings(object root, string needle)
        {
            var found = new List<string>();
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            var pending = new Stack<(object Value, string Path)>();
            pending.Push((root, root.GetType().Name));
            while (pending.Count > 0 && seen.Count < 100_000)
            {
                (object value, string path) = pending.Pop();
                if (value is string text)
                {
                    if (text.Contains(needle, StringComparison.OrdinalIgnoreCase))
                    {
                        found.Add(path);
                    }

                    continue;
                }

                Type type = value.GetType();
                if (type.IsPrimitive || type.IsEnum || type.IsPointer || !seen.Add(value))
                {
                    continue;
                }

                bool ours = type.Assembly == typeof(QwenClient).Assembly || value is Exception || value is Delegate || type.IsArray
                    || type.Namespace == "System.Collections.Generic" || type.Namespace?.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal) == true
                    || type.Name.Contains("DisplayClass", StringComparison.Ordinal);
                if (!ours)
                {
                    continue;
                }

                if (value is IEnumerable items && !(value is string))
                {
                    int i = 0;
                    foreach (object? item in items)
                    {
                        if (item != null)
                        {
                            pending.Push((item, path + "[" + i++ + "]"));
                        }
                    }
                }

                for (Type? t = type; t != null; t = t.BaseType)
                {
                    foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                        {
                            continue;
                        }

                        if (field.GetValue(value) is object child)
                        {
                            pending.Push((child, path + "." + field.Name));
                        }
                    }
                }
            }

            return found;
        }
    }

    /// <summary>A handler that never answers: SendAsync waits until it is cancelled (a connect that hangs).</summary>
    internal sealed class HangingHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource _entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _active;

        public Task Entered => _entered.Task;

        public int Active => Volatile.Read(ref _active);

        public int Calls { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            Interlocked.Increment(ref _active);
            try
            {
                _entered.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException("unreachable");
            }
            finally
            {
                Interlocked.Decrement(ref _active);
            }
        }
    }
}
