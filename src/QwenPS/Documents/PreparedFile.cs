namespace QwenPS.Documents
{
    /// <summary>The stored file a document's conversation references.</summary>
    internal sealed class PreparedFile
    {
        public PreparedFile(string id, string? localPath, bool reused, bool knownProcessed)
        {
            Id = id;
            LocalPath = localPath;
            Reused = reused;
            KnownProcessed = knownProcessed;
        }

        public string Id { get; }

        /// <summary>The local file whose bytes it holds (the first of identical ones), or the stored name.</summary>
        public string? LocalPath { get; }

        /// <summary>Found through the file-id index: not uploaded by this command.</summary>
        public bool Reused { get; }

        /// <summary>The service has said it is processed (a bare id given by the user has not been asked about).</summary>
        public bool KnownProcessed { get; }
    }
}
