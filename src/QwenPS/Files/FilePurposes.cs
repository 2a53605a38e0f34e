namespace QwenPS.Files
{
    /// <summary>The <c>purpose</c> values of the Files API (docs/dashscope-notes.md, "Files API").</summary>
    internal static class FilePurposes
    {
        /// <summary>Documents for qwen-long, referenced as <c>fileid://</c>.</summary>
        public const string FileExtract = "file-extract";

        /// <summary>JSONL input of a batch job.</summary>
        public const string Batch = "batch";
    }
}
