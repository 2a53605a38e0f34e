using System;
using System.Collections.Generic;

namespace QwenPS.Chat.Tools
{
    /// <summary>Invoke-QwenChat's tool parameters as plain values.</summary>
    internal sealed class ToolLoopSettings
    {
        public const int DefaultMaxRounds = 5;

        public ToolLoopSettings(IReadOnlyList<QwenTool> tools)
        {
            Tools = tools;
        }

        public IReadOnlyList<QwenTool> Tools { get; }

        public QwenToolInvocation Invocation { get; set; } = QwenToolInvocation.Confirm;

        /// <summary>Rounds of tool calls the loop runs; a response that still asks for tools after that ends the loop.</summary>
        public int MaxRounds { get; set; } = DefaultMaxRounds;

        public int MaxResultLength { get; set; } = ToolResultText.DefaultMaxLength;

        /// <summary>-Stream: QwenToolCallChunk and QwenToolResult records go to the output.</summary>
        public bool Stream { get; set; }

        /// <summary>-Live: "→ command line" lines on the live display.</summary>
        public bool Live { get; set; }

        /// <summary>-TimeoutSec: the whole loop's budget (requests and tools); null for none.</summary>
        public TimeSpan? Timeout { get; set; }
    }
}
