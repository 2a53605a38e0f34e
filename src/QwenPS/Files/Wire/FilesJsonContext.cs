using System.Text.Json.Serialization;

namespace QwenPS.Files.Wire
{
    /// <summary>
    /// Source-generated (no reflection) readers of the Files API shapes (docs/dashscope-notes.md, "Files API").
    /// Internal: no System.Text.Json type ever appears on a public record.
    /// </summary>
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString)]
    [JsonSerializable(typeof(WireFile))]
    [JsonSerializable(typeof(WireFileList))]
    [JsonSerializable(typeof(WireDeleteResult))]
    internal sealed partial class FilesJsonContext : JsonSerializerContext
    {
    }
}
