namespace QwenPS.Transport
{
    /// <summary>What a request counts against in <see cref="RequestGate"/>.</summary>
    internal enum GatedRequestKind
    {
        /// <summary>Chat and anything else: no rate of its own, only the shared pause.</summary>
        Other,

        /// <summary>POST /files: 3 per second per account.</summary>
        Upload,

        /// <summary>GET and DELETE under /files: retrieve, list and delete share 10 per second.</summary>
        FileManagement,
    }
}
