namespace QwenPS.Errors
{
    /// <summary>An error as the service described it, from either envelope or from a stream chunk.</summary>
    internal sealed class ServiceError
    {
        public string? Code;
        public string? Message;
        public string? Type;
        public string? RequestId;
    }
}
