using System.Text.Json.Serialization;

namespace QwenPS.Chat.Wire
{
    /// <summary>usage.prompt_tokens_details.cache_creation: the explicit cache write, by lifetime.</summary>
    internal sealed class WireCacheCreation
    {
        [JsonPropertyName("ephemeral_5m_input_tokens")]
        public int? Ephemeral5mInputTokens { get; set; }
    }
}
