using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenPS.Completions.Wire
{
    /// <summary>Writes the <c>/completions</c> body in the documented field order; unset fields are left out.</summary>
    internal static class CompletionRequestWriter
    {
        private static readonly JsonWriterOptions Options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static byte[] Write(CompletionRequest request)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Options))
            {
                writer.WriteStartObject();
                writer.WriteString("model", request.Model);
                writer.WriteString("prompt", request.Prompt);
                if (request.MaxTokens is int maxTokens)
                {
                    writer.WriteNumber("max_tokens", maxTokens);
                }

                if (request.Temperature is double temperature)
                {
                    writer.WriteNumber("temperature", temperature);
                }

                if (request.TopP is double topP)
                {
                    writer.WriteNumber("top_p", topP);
                }

                if (request.Stop is string[] stop)
                {
                    writer.WriteStartArray("stop");
                    foreach (string item in stop)
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                }

                if (request.Seed is int seed)
                {
                    writer.WriteNumber("seed", seed);
                }

                if (request.PresencePenalty is double presence)
                {
                    writer.WriteNumber("presence_penalty", presence);
                }

                if (request.Stream)
                {
                    writer.WriteBoolean("stream", true);
                    writer.WriteStartObject("stream_options");
                    writer.WriteBoolean("include_usage", true);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }
    }
}
