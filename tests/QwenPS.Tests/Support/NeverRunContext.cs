using System.Threading;

namespace QwenPS.Tests.Support
{
    /// <summary>A synchronization context whose thread is blocked: what is posted to it never runs.</summary>
    internal sealed class NeverRunContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
        }

        public override void Send(SendOrPostCallback d, object? state)
        {
        }
    }
}
