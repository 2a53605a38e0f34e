namespace QwenPS.Chat
{
    /// <summary>How a <see cref="ChatField"/>'s value is written into the body.</summary>
    internal enum ChatFieldKind
    {
        /// <summary><c>true</c>/<c>false</c>.</summary>
        Boolean,

        /// <summary>A whole number.</summary>
        Integer,

        /// <summary>A number with a fraction.</summary>
        Number,

        /// <summary>One string, or an array when there are several (OpenAI's <c>stop</c> shape).</summary>
        StringOrArray,

        /// <summary>Always an array of lower-case names (<c>modalities</c>: enum values written as "text", "audio").</summary>
        NameArray,

        /// <summary>The Omni <c>audio</c> object: <c>{"voice": value, "format": "wav"}</c>; an empty voice is left out.</summary>
        AudioOutput,

        /// <summary>The <c>tools</c> array: a list of <see cref="QwenPS.Chat.Tools.ToolDefinition"/>s.</summary>
        Tools,

        /// <summary><c>tool_choice</c>: "auto" or "none" as strings, a tool's name as {"type":"function","function":{"name"}}.</summary>
        ToolChoice,

        /// <summary>A JSON object from plain values (dictionaries, lists, scalars, JsonElement), as JsonValueWriter writes them.</summary>
        Object,
    }
}
