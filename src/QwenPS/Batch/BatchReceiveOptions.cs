using System;
using System.Text.Json;

namespace QwenPS.Batch
{
    /// <summary>How <see cref="BatchResultSet"/> finishes each result beyond joining it to its input: the region its cost
    /// is priced in, the runspace whose usage book (Get-QwenUsage) it is added to, and whether its answer is read as JSON.</summary>
    internal sealed class BatchReceiveOptions
    {
        /// <summary>The region of the endpoint the results came from (the client's); null: no price (docs/dashscope-notes.md, "Models and prices").</summary>
        public QwenRegion? Region { get; set; }

        /// <summary>The runspace whose usage book counts the results, once each; null counts nothing.</summary>
        public object? Scope { get; set; }

        /// <summary>Receive-QwenBatch -AsObject: read every answer as JSON even when the mapping file does not say the batch asked for it.</summary>
        public bool AsObject { get; set; }

        /// <summary>Turns a parsed answer into <see cref="QwenBatchResult.Value"/> (the cmdlet makes PowerShell objects of it).</summary>
        public Func<JsonElement, object?> ToValue { get; set; } = value => value.GetRawText();
    }
}
