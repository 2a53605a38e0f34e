using System.Collections.Generic;

namespace QwenPS.Chat
{
    /// <summary>
    /// THE table from Invoke-QwenChat parameter to chat body field (docs/dashscope-notes.md, "Chat request body").
    /// A new body field is one row here plus its cmdlet parameter: the cmdlet copies every bound parameter named
    /// in this table into the <see cref="ChatRequest"/>, and <see cref="Wire.ChatRequestWriter"/> writes every
    /// field the request holds, in this order. DashScope-only fields (enable_thinking, top_k...) go at the top
    /// level of the body like the OpenAI ones.
    /// </summary>
    internal static class ChatFields
    {
        public static readonly ChatField EnableThinking = new ChatField("EnableThinking", "enable_thinking", ChatFieldKind.Boolean);
        public static readonly ChatField ThinkingBudget = new ChatField("ThinkingBudget", "thinking_budget", ChatFieldKind.Integer);
        public static readonly ChatField Temperature = new ChatField("Temperature", "temperature", ChatFieldKind.Number);
        public static readonly ChatField TopP = new ChatField("TopP", "top_p", ChatFieldKind.Number);
        public static readonly ChatField TopK = new ChatField("TopK", "top_k", ChatFieldKind.Integer);
        public static readonly ChatField MaxTokens = new ChatField("MaxTokens", "max_tokens", ChatFieldKind.Integer);
        public static readonly ChatField Seed = new ChatField("Seed", "seed", ChatFieldKind.Integer);
        public static readonly ChatField PresencePenalty = new ChatField("PresencePenalty", "presence_penalty", ChatFieldKind.Number);
        public static readonly ChatField Stop = new ChatField("Stop", "stop", ChatFieldKind.StringOrArray);

        /// <summary>Qwen-Omni: <c>["text"]</c> or <c>["text","audio"]</c>; audio also sets <see cref="Audio"/> (ChatOperation.PrepareAudio).</summary>
        public static readonly ChatField Modality = new ChatField("Modality", "modalities", ChatFieldKind.NameArray);

        /// <summary>Qwen-Omni: the spoken answer's voice (the -Voice parameter), written as <c>{"voice","format":"wav"}</c>.</summary>
        public static readonly ChatField Audio = new ChatField("Voice", "audio", ChatFieldKind.AudioOutput);

        // Function calling (docs/dashscope-notes.md, "Function calling"). -Tool's commands become ToolDefinitions in
        // the tool loop, which sets this row itself (the cmdlet does not copy -Tool); it also sets ToolChoice per round.
        public static readonly ChatField Tools = new ChatField("Tool", "tools", ChatFieldKind.Tools);
        public static readonly ChatField ToolChoice = new ChatField("ToolChoice", "tool_choice", ChatFieldKind.ToolChoice);
        public static readonly ChatField ParallelToolCalls = new ChatField("ParallelToolCalls", "parallel_tool_calls", ChatFieldKind.Boolean);

        /// <summary>Set by ChatOperation from -AsJson / -JsonSchema (there is no -ResponseFormat parameter).</summary>
        public static readonly ChatField ResponseFormat = new ChatField("ResponseFormat", "response_format", ChatFieldKind.Object);
        public static readonly ChatField EnableSearch = new ChatField("EnableSearch", "enable_search", ChatFieldKind.Boolean);
        public static readonly ChatField SearchOption = new ChatField("SearchOption", "search_options", ChatFieldKind.Object);

        /// <summary>Every row, in the order the fields are written.</summary>
        public static readonly IReadOnlyList<ChatField> All = new[]
        {
            EnableThinking, ThinkingBudget, Temperature, TopP, TopK, MaxTokens, Seed, PresencePenalty, Stop,
            Modality, Audio,
            Tools, ToolChoice, ParallelToolCalls,
            ResponseFormat, EnableSearch, SearchOption,
        };
    }
}
