using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

// JSON shapes of the DashScope compatible-mode API (reference §3, §6). Internal: no System.Text.Json type
// ever appears on a public record, so the public surface does not depend on which STJ PowerShell loads.
namespace QwenPS.Wire
{
    internal sealed class WireChatCompletion
    {
        public string? Id { get; set; }

        public string? Object { get; set; }

        public string? Model { get; set; }

        public long? Created { get; set; }

        public List<WireChoice>? Choices { get; set; }

        public WireUsage? Usage { get; set; }

        public string? RequestId { get; set; }
    }

    internal sealed class WireChoice
    {
        public int Index { get; set; }

        public string? FinishReason { get; set; }

        public WireResponseMessage? Message { get; set; }
    }

    internal sealed class WireResponseMessage
    {
        public string? Role { get; set; }

        public string? Content { get; set; }

        public string? ReasoningContent { get; set; }

        public List<WireToolCall>? ToolCalls { get; set; }
    }

    internal sealed class WireToolCall
    {
        public int? Index { get; set; }

        public string? Id { get; set; }

        public string? Type { get; set; }

        public WireFunction? Function { get; set; }
    }

    internal sealed class WireFunction
    {
        public string? Name { get; set; }

        public string? Arguments { get; set; }
    }

    internal sealed class WireUsage
    {
        public int PromptTokens { get; set; }

        public int CompletionTokens { get; set; }

        public int TotalTokens { get; set; }

        public WirePromptDetails? PromptTokensDetails { get; set; }

        public WireCompletionDetails? CompletionTokensDetails { get; set; }
    }

    internal sealed class WirePromptDetails
    {
        public int? CachedTokens { get; set; }
    }

    internal sealed class WireCompletionDetails
    {
        public int? ReasoningTokens { get; set; }
    }

    internal sealed class WireFile
    {
        public string? Id { get; set; }

        public string? Object { get; set; }

        public long Bytes { get; set; }

        public long? CreatedAt { get; set; }

        public string? Filename { get; set; }

        public string? Purpose { get; set; }

        public string? Status { get; set; }

        // A string in every sample, but undocumented: keep whatever JSON arrives.
        public JsonElement? StatusDetails { get; set; }
    }

    internal sealed class WireFileList
    {
        public List<WireFile>? Data { get; set; }

        public bool HasMore { get; set; }
    }

    internal sealed class WireDeleteResult
    {
        public string? Id { get; set; }

        public bool Deleted { get; set; }
    }

    internal sealed class WireRequestMessage
    {
        public string Role { get; set; } = string.Empty;

        // Written even when null: an assistant message with tool calls has content null.
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Content { get; set; }

        public string? ToolCallId { get; set; }

        public List<WireToolCall>? ToolCalls { get; set; }
    }

    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString)]
    [JsonSerializable(typeof(WireChatCompletion))]
    [JsonSerializable(typeof(WireFile))]
    [JsonSerializable(typeof(WireFileList))]
    [JsonSerializable(typeof(WireDeleteResult))]
    [JsonSerializable(typeof(WireRequestMessage))]
    internal sealed partial class WireJsonContext : JsonSerializerContext
    {
    }
}
