namespace QwenPS.Files.Wire
{
    internal sealed class WireDeleteResult
    {
        public string? Id { get; set; }

        public bool Deleted { get; set; }
    }
}
