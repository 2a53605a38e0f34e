using System;

namespace QwenPS.Transport
{
    /// <summary>A read found no data within the idle timeout (<see cref="Idle"/>) or the total budget.</summary>
    internal sealed class ReadTimeoutException : Exception
    {
        public ReadTimeoutException(bool idle)
            : base(idle ? "The server sent nothing within the idle timeout." : "The command's time budget ran out.")
        {
            Idle = idle;
        }

        public bool Idle { get; }
    }
}
