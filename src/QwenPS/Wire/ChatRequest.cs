using System.Collections.Generic;

namespace QwenPS.Wire
{
    /// <summary>Everything one chat call sends. Null means "not set": the field is left out of the body.</summary>
    internal sealed class ChatRequest
    {
        public ChatRequest(string model, IReadOnlyList<QwenMessage> messages)
        {
            Model = model;
            Messages = messages;
        }

        public string Model { get; }

        public IReadOnlyList<QwenMessage> Messages { get; }

        public bool Stream { get; set; }

        public bool? EnableThinking { get; set; }

        public int? ThinkingBudget { get; set; }

        public double? Temperature { get; set; }

        public double? TopP { get; set; }

        public int? TopK { get; set; }

        public int? MaxTokens { get; set; }

        public int? Seed { get; set; }

        public IReadOnlyList<string>? Stop { get; set; }

        public double? PresencePenalty { get; set; }

        /// <summary>Extra top-level body fields; they win over a modelled field of the same name.</summary>
        public IReadOnlyDictionary<string, object?>? AdditionalParameters { get; set; }
    }
}
