using System.Text.Json.Serialization;

namespace QwenPS.Chat.Wire
{
    /// <summary>
    /// Source-generated (no reflection) readers of the chat completion shapes (docs/dashscope-notes.md, "Chat
    /// responses"). Internal: no System.Text.Json type ever appears on a public record, so the public surface does
    /// not depend on which System.Text.Json PowerShell loads. Streamed chunks are decoded by hand (ChatChunkDecoder).
    /// </summary>
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString)]
    [JsonSerializable(typeof(WireChatCompletion))]
    internal sealed partial class ChatJsonContext : JsonSerializerContext
    {
    }
}
