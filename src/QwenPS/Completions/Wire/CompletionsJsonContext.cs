using System.Text.Json.Serialization;

namespace QwenPS.Completions.Wire
{
    /// <summary>Source-generated readers of the <c>/completions</c> shapes (whole answers and stream chunks alike).</summary>
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString)]
    [JsonSerializable(typeof(WireTextCompletion))]
    internal sealed partial class CompletionsJsonContext : JsonSerializerContext
    {
    }
}
