using System;

namespace QwenPS
{
    /// <summary>
    /// One tool call that the loop handled: what the model asked for, the command line that ran, how it ended and
    /// the text sent back to the model. Written with -Stream after each call, and listed in QwenChatResponse.ToolRuns.
    /// </summary>
    public sealed class QwenToolResult
    {
        internal QwenToolResult(int round, string? callId, string name, string arguments, string commandLine,
            QwenToolStatus status, TimeSpan duration, string content, bool truncated)
        {
            Round = round;
            CallId = callId;
            Name = name;
            Arguments = arguments;
            CommandLine = commandLine;
            Outcome = status;
            Duration = duration;
            Content = content;
            Truncated = truncated;
        }

        /// <summary>1 for the calls of the first response, 2 for the next, and so on.</summary>
        public int Round { get; }

        public string? CallId { get; }

        public string Name { get; }

        /// <summary>The arguments as the model wrote them (JSON text).</summary>
        public string Arguments { get; }

        /// <summary>The call as it would be typed, e.g. <c>Get-Service -Name spooler</c>.</summary>
        public string CommandLine { get; }

        /// <summary>Succeeded, Failed (it ran but threw, failed binding or wrote errors), Declined (No at the prompt),
        /// UnknownTool or InvalidArguments (nothing ran).</summary>
        public string Status => Outcome.ToString();

        public bool Succeeded => Outcome == QwenToolStatus.Succeeded;

        internal QwenToolStatus Outcome { get; }

        public TimeSpan Duration { get; }

        /// <summary>The tool message's content: the serialised output, or the error the model reads.</summary>
        public string Content { get; }

        /// <summary>True when <see cref="Content"/> was cut to -MaxToolResultLength (it ends with a note saying so).</summary>
        public bool Truncated { get; }

        public override string ToString() => CommandLine + " → " + Status;
    }
}
