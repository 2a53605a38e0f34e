namespace QwenPS.Batch
{
    /// <summary>How <see cref="BatchResultSet"/> finishes each result beyond joining it to its input: the region its cost
    /// is priced in, and the runspace whose usage book (Get-QwenUsage) it is added to.</summary>
    internal sealed class BatchReceiveOptions
    {
        /// <summary>The region of the endpoint the results came from (the client's); null: no price (docs/dashscope-notes.md, "Models and prices").</summary>
        public QwenRegion? Region { get; set; }

        /// <summary>The runspace whose usage book counts the results, once each; null counts nothing.</summary>
        public object? Scope { get; set; }
    }
}
