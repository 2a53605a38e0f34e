namespace QwenPS.Chat
{
    /// <summary>
    /// How one Invoke-QwenChat call shows its answer (not part of the body), and what it left behind: records as
    /// they arrive (-Stream) or one response, the live display (-Live), and the partial response of a call that
    /// was stopped or broke.
    /// </summary>
    internal sealed class ChatRun
    {
        /// <summary>-Stream: write each record as it arrives instead of one response at the end.</summary>
        public bool Stream { get; set; }

        /// <summary>-Live: show the text on the console as it arrives.</summary>
        public bool Live { get; set; }

        /// <summary>-Live writes whole lines (a host that cannot show fragments in place: logs, transcripts, runbooks).</summary>
        public bool LiveWholeLines { get; set; }

        /// <summary>
        /// -MaxResponseSize: the most characters of answer (reasoning, content and tool arguments together) kept; a
        /// stream that would pass it ends with ResponseTooLarge. Not a body field: QwenPS's own limit.
        /// </summary>
        public int MaxResponseChars { get; set; } = DefaultMaxResponseChars;

        /// <summary>
        /// -MaxResponseSize's default: 16 Mi characters (32 MB of text in memory). Far above any real answer (the
        /// largest output limits are tens of thousands of tokens), far below what would exhaust memory.
        /// </summary>
        internal const int DefaultMaxResponseChars = 16 * 1024 * 1024;

        /// <summary>False for a round of the tool loop: only the loop's final response is written.</summary>
        public bool WriteResponse { get; set; } = true;

        /// <summary>-AsJson / -JsonSchema / -AsObject: ask for JSON and hand the answer back as a value, not a response.</summary>
        public bool JsonOutput { get; set; }

        /// <summary>-JsonSchema, checked up front; null for JSON object mode.</summary>
        public JsonSchemaSpec? JsonSchema { get; set; }

        /// <summary>-MaxRepair: how many times an unusable JSON answer is asked for again.</summary>
        public int MaxRepair { get; set; } = 1;

        /// <summary>What arrived before a failure or a stop (marked incomplete), or the last, unusable JSON answer;
        /// null when nothing did.</summary>
        public QwenChatResponse? PartialResponse { get; internal set; }
    }
}
