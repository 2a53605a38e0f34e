using System.Collections.Generic;

namespace QwenPS.Batch.Wire
{
    /// <summary><c>GET /batches</c>: <c>{"object":"list","data","first_id","last_id","has_more"}</c>.</summary>
    internal sealed class WireBatchList
    {
        public List<WireBatch>? Data { get; set; }

        public string? FirstId { get; set; }

        public string? LastId { get; set; }

        public bool HasMore { get; set; }
    }
}
