using System.Collections.Generic;
using QwenPS.Errors;

namespace QwenPS.Chat.Wire
{
    /// <summary>
    /// One decoded <c>chat.completion.chunk</c>. A single instance is reused for every chunk of a stream
    /// (<see cref="Reset"/>) so decoding allocates only the text the chunk carries.
    /// </summary>
    internal sealed class ChatChunk
    {
        public string? Id;
        public string? Model;
        public long? Created;
        public string? Reasoning;
        public string? Content;

        /// <summary>Qwen-Omni: a piece of the spoken answer (<c>delta.audio.data</c>, base64 PCM).</summary>
        public string? AudioData;

        /// <summary>Qwen-Omni: <c>delta.audio.transcript</c>, the text of the spoken answer (older models only).</summary>
        public string? AudioTranscript;
        public string? FinishReason;
        public bool HasUsage;
        public int PromptTokens;
        public int CompletionTokens;
        public int TotalTokens;
        public int? CachedTokens;
        public int? ReasoningTokens;

        /// <summary>Usage by modality: prompt text, image, audio, video; completion text, audio.</summary>
        public readonly int?[] ModalityTokens = new int?[6];
        public int? CacheCreationTokens;
        public string? CacheType;
        public readonly List<ToolCallFragment> ToolCalls = new List<ToolCallFragment>();
        public ServiceError? Error;
        public string? RequestId;

        public void Reset()
        {
            Id = null;
            Model = null;
            Created = null;
            Reasoning = null;
            Content = null;
            AudioData = null;
            AudioTranscript = null;
            FinishReason = null;
            HasUsage = false;
            PromptTokens = CompletionTokens = TotalTokens = 0;
            CachedTokens = ReasoningTokens = CacheCreationTokens = null;
            CacheType = null;
            System.Array.Clear(ModalityTokens, 0, ModalityTokens.Length);
            ToolCalls.Clear();
            Error = null;
            RequestId = null;
        }
    }
}
