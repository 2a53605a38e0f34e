using System.Text.Json.Serialization;

namespace QwenPS.Batch.Wire
{
    /// <summary>Source-generated readers of the Batch API shapes (docs/dashscope-notes.md, "Batch").</summary>
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString)]
    [JsonSerializable(typeof(WireBatch))]
    [JsonSerializable(typeof(WireBatchList))]
    internal sealed partial class BatchesJsonContext : JsonSerializerContext
    {
    }
}
