using System.Collections.Generic;

namespace QwenPS.Completions.Wire
{
    /// <summary>A <c>text_completion</c> object: the whole answer, or one streamed chunk of the same shape (docs/dashscope-notes.md, "Code completion (fill in the middle)").</summary>
    internal sealed class WireTextCompletion
    {
        public string? Id { get; set; }

        public string? Model { get; set; }

        public List<WireTextChoice>? Choices { get; set; }

        public WireTextUsage? Usage { get; set; }
    }
}
