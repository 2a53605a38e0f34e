using System.Collections.Generic;

namespace QwenPS.Chat.Wire
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
}
