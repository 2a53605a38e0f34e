using System.Collections.Generic;

namespace QwenPS.Chat.Wire
{
    internal sealed class WireResponseMessage
    {
        public string? Role { get; set; }

        public string? Content { get; set; }

        public string? ReasoningContent { get; set; }

        public List<WireToolCall>? ToolCalls { get; set; }
    }
}
