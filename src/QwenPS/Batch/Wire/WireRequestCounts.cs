namespace QwenPS.Batch.Wire
{
    internal sealed class WireRequestCounts
    {
        public int Total { get; set; }

        public int Completed { get; set; }

        public int Failed { get; set; }
    }
}
