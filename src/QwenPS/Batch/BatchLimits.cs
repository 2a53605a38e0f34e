using System;

namespace QwenPS.Batch
{
    /// <summary>
    /// The input-file limits DashScope enforces (docs/dashscope-notes.md, "Batch"): checked while the JSONL is written,
    /// so a file that would be refused is never uploaded. The free test model has tighter ones.
    /// </summary>
    internal sealed class BatchLimits
    {
        public const string TestModel = "batch-test-model";

        public static readonly BatchLimits Standard = new BatchLimits(50000, 6L * 1024 * 1024, 500L * 1024 * 1024);

        public static readonly BatchLimits TestModelLimits = new BatchLimits(100, 6L * 1024 * 1024, 1024 * 1024);

        public BatchLimits(int maxLines, long maxLineBytes, long maxFileBytes)
        {
            MaxLines = maxLines;
            MaxLineBytes = maxLineBytes;
            MaxFileBytes = maxFileBytes;
        }

        public int MaxLines { get; }

        /// <summary>The longest line, without its line feed.</summary>
        public long MaxLineBytes { get; }

        /// <summary>The largest file, line feeds included.</summary>
        public long MaxFileBytes { get; }

        public static bool IsTestModel(string model) => string.Equals(model, TestModel, StringComparison.Ordinal);

        public static BatchLimits For(string model) => IsTestModel(model) ? TestModelLimits : Standard;
    }
}
