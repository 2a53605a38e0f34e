namespace QwenPS.Catalog
{
    /// <summary>
    /// One price tier of a model in one region, per million tokens. The tier applies to a whole request when the
    /// request's input tokens are at most <see cref="UpToInputTokens"/> (null: no upper bound).
    /// </summary>
    internal sealed class PriceTier
    {
        public PriceTier(long? upToInputTokens, decimal input, decimal output, decimal? thinkingOutput,
            decimal? audioInput, decimal? imageInput, decimal? multimodalOutput, decimal? audioOutput)
        {
            UpToInputTokens = upToInputTokens;
            Input = input;
            Output = output;
            ThinkingOutput = thinkingOutput;
            AudioInput = audioInput;
            ImageInput = imageInput;
            MultimodalOutput = multimodalOutput;
            AudioOutput = audioOutput;
        }

        public long? UpToInputTokens { get; }

        /// <summary>Text input (for Omni: text input).</summary>
        public decimal Input { get; }

        /// <summary>Output in non-thinking mode (for Omni: text output after text-only input).</summary>
        public decimal Output { get; }

        /// <summary>Output in thinking mode; null when it costs the same as <see cref="Output"/>.</summary>
        public decimal? ThinkingOutput { get; }

        public decimal? AudioInput { get; }

        /// <summary>Image and video input.</summary>
        public decimal? ImageInput { get; }

        /// <summary>Text output after multimodal input (Omni).</summary>
        public decimal? MultimodalOutput { get; }

        /// <summary>Audio output tokens (Omni); the text of an answer spoken as audio is then not billed.</summary>
        public decimal? AudioOutput { get; }
    }
}
