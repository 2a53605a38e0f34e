using System.Text.Json;

namespace QwenPS.Files.Wire
{
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
}
