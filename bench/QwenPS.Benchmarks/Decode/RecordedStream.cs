using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenPS.Benchmarks.Decode
{
    /// <summary>
    /// A DashScope chat stream as the service sends it (docs/dashscope-notes.md, "Streaming"): a role chunk, reasoning chunks, then
    /// content chunks, a finish chunk, a usage chunk and <c>[DONE]</c>. Every text chunk carries one short
    /// token of CJK or ASCII text (sometimes with a JSON escape), chosen by a seeded random, so every run and
    /// every decoder sees exactly the same bytes.
    /// </summary>
    internal sealed class RecordedStream
    {
        public const string Model = "qwen-plus";
        public const string Id = "chatcmpl-5f8c2a4e-0b1d-4c1e-9a57-3d2f6b7e8a90";
        private const long Created = 1760000000;

        // Tokens of the sizes a tokenizer hands out: one to three CJK characters, or a short ASCII word.
        private static readonly string[] Tokens =
        {
            "思考", "这个", "问题", "的", "答案", "是", "我们", "需要", "首先", "，", "。", "模型", "用户", "请求", "分析", "然后",
            " the", " model", " answer", " is", " stream", "ing", " token", " and", " of", ".", " 42", " Qwen", "\n", " \"x\"", "：", "步骤",
        };

        private static readonly JsonSerializerOptions Relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private RecordedStream(byte[] bytes, int textChunks, int reasoningChars, int contentChars, int textUtf16Bytes)
        {
            Bytes = bytes;
            TextChunks = textChunks;
            ReasoningChars = reasoningChars;
            ContentChars = contentChars;
            TextUtf16Bytes = textUtf16Bytes;
        }

        /// <summary>The whole stream, as read from the wire.</summary>
        public byte[] Bytes { get; }

        /// <summary>Chunks that carry reasoning or content text (each gives one record).</summary>
        public int TextChunks { get; }

        public int ReasoningChars { get; }

        public int ContentChars { get; }

        /// <summary>The size of all text chunks as .NET strings (objects included): what the records must hold.</summary>
        public int TextUtf16Bytes { get; }

        /// <summary>Generates <paramref name="textChunks"/> text chunks, the first 40% reasoning.</summary>
        public static RecordedStream Generate(int textChunks, int seed = 7)
        {
            var random = new Random(seed);
            var output = new MemoryStream(textChunks * 240);
            int reasoning = textChunks * 2 / 5;
            int reasoningChars = 0;
            int contentChars = 0;
            long textBytes = 0;
            WriteEvent(output, RoleChunk());
            for (int i = 0; i < textChunks; i++)
            {
                string token = Tokens[random.Next(Tokens.Length)];
                bool isReasoning = i < reasoning;
                WriteEvent(output, isReasoning ? ReasoningChunk(token) : ContentChunk(token));
                if (isReasoning)
                {
                    reasoningChars += token.Length;
                }
                else
                {
                    contentChars += token.Length;
                }

                textBytes += StringObjectBytes(token.Length);
            }

            WriteEvent(output, FinishChunk());
            WriteEvent(output, UsageChunk(10, reasoningChars + contentChars, reasoningChars));
            WriteEvent(output, "[DONE]");
            return new RecordedStream(output.ToArray(), textChunks, reasoningChars, contentChars, checked((int)textBytes));
        }

        /// <summary><paramref name="count"/> content events (SSE text) with random tokens, to repeat into a long stream.</summary>
        public static string ContentEvents(int count, int seed = 11)
        {
            var random = new Random(seed);
            var events = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                events.Append(Event(ContentChunk(Tokens[random.Next(Tokens.Length)])));
            }

            return events.ToString();
        }

        /// <summary>The heap size of a string of <paramref name="length"/> chars on 64-bit .NET (header, length, chars, NUL, rounded to 8).</summary>
        public static long StringObjectBytes(int length) => (20 + (2 * (length + 1)) + 7) / 8 * 8;

        public static void WriteEvent(Stream output, string data)
        {
            byte[] bytes = Encoding.UTF8.GetBytes("data: " + data + "\n\n");
            output.Write(bytes, 0, bytes.Length);
        }

        public static string Event(string data) => "data: " + data + "\n\n";

        public static string RoleChunk() =>
            "{\"choices\":[{\"delta\":{\"content\":null,\"role\":\"assistant\",\"reasoning_content\":\"\"},\"index\":0,\"logprobs\":null,\"finish_reason\":null}]," + Tail("null");

        public static string ReasoningChunk(string text) =>
            "{\"choices\":[{\"delta\":{\"content\":null,\"reasoning_content\":" + Quote(text) + "},\"index\":0,\"logprobs\":null,\"finish_reason\":null}]," + Tail("null");

        public static string ContentChunk(string text) =>
            "{\"choices\":[{\"delta\":{\"content\":" + Quote(text) + ",\"reasoning_content\":null},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]," + Tail("null");

        public static string FinishChunk() =>
            "{\"choices\":[{\"finish_reason\":\"stop\",\"delta\":{\"content\":\"\",\"reasoning_content\":null},\"index\":0,\"logprobs\":null}]," + Tail("null");

        public static string UsageChunk(int prompt, int completion, int reasoning) =>
            "{\"choices\":[]," + Tail(
                "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) +
                ",\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoning + "}}");

        private static string Tail(string usage) =>
            "\"object\":\"chat.completion.chunk\",\"usage\":" + usage + ",\"created\":" + Created + ",\"system_fingerprint\":null,\"model\":\"" + Model + "\",\"id\":\"" + Id + "\"}";

        private static string Quote(string text) => JsonSerializer.Serialize(text, Relaxed);
    }
}
