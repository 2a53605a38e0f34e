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
    }
}
