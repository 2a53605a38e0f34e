using QwenPS.Output;
using QwenPS.Transport;

namespace QwenPS.Engine
{
    /// <summary>
    /// One command's connection to DashScope, as <see cref="QwenClientFactory"/> built it. The cmdlets hand it to
    /// an operation and never look inside; each endpoint class (Chat/ChatApi, Files/FilesApi, ...) is made over
    /// its <see cref="Transport"/>, so adding an API adds a folder and changes nothing here.
    /// </summary>
    internal sealed class QwenClient
    {
        public QwenClient(TransportSettings settings, object? scope = null)
        {
            Transport = new QwenTransport(settings);
            Scope = scope;
        }

        /// <summary>The runspace the command runs in (whose usage book, Get-QwenUsage, its calls are added to); null for none.</summary>
        public object? Scope { get; }

        internal QwenTransport Transport { get; }

        public TransportSettings Settings => Transport.Settings;

        public IQwenOutput Output => Transport.Output;
    }
}
