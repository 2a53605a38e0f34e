using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using QwenPS.Output;

namespace QwenPS.Chat.Tools
{
    /// <summary>
    /// The function-calling loop: send the conversation, run the calls the model asks for one at a time in its
    /// order, answer each with a tool message, and send again, until the model answers, the round cap is hit,
    /// the time budget runs out or the caller stops. It runs on the caller's thread (the pipeline thread, so the
    /// tools run in the caller's runspace); each request is handed to <c>send</c>, which may use the pump.
    /// Every assistant message with tool calls is followed by one tool message per call, in the call order, so
    /// the history stays valid for the service (docs/dashscope-notes.md, "Function calling").
    /// </summary>
    internal sealed class ToolLoop
    {
        /// <summary>FinishReason of the final response when the loop, not the model, ended the conversation.</summary>
        public const string MaxToolRoundsReason = "max_tool_rounds";

        private readonly ToolLoopSettings _settings;
        private readonly IToolRunner _runner;
        private readonly IQwenOutput _output;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<QwenToolResult> _runs = new List<QwenToolResult>();

        public ToolLoop(ToolLoopSettings settings, IToolRunner runner, IQwenOutput output)
        {
            _settings = settings;
            _runner = runner;
            _output = output;
        }

        /// <summary>The latest response (with the runs so far): what -ResponseVariable keeps when the loop fails or is stopped.</summary>
        public QwenChatResponse? LastResponse { get; private set; }

        public IReadOnlyList<QwenToolResult> Runs => _runs;

        /// <param name="messages">The conversation to send. When it ends with an assistant message whose calls are
        /// unanswered (a response the loop stopped, piped back), those calls are run first.</param>
        /// <param name="send">Sends one request (the round number: 0 for the first) and returns the complete response.</param>
        public QwenChatResponse Run(IReadOnlyList<QwenMessage> messages, Func<IReadOnlyList<QwenMessage>, int, QwenChatResponse> send)
        {
            var history = new List<QwenMessage>(messages);
            int round = 0;
            IReadOnlyList<QwenToolCall> pending = UnansweredCalls(history);
            if (pending.Count > 0 && _settings.Invocation != QwenToolInvocation.Manual)
            {
                round++;
                _output.WriteVerbose("The conversation ends with " + Count(pending.Count, "unanswered tool call") + ": running them first (round 1).");
                RunRound(pending, round, history);
            }

            while (true)
            {
                CheckTime();
                QwenChatResponse response = send(history, round);
                LastResponse = response.WithToolRuns(_runs.ToArray(), response.FinishReason);
                IReadOnlyList<QwenToolCall> calls = response.ToolCalls;
                if (calls.Count == 0 || _settings.Invocation == QwenToolInvocation.Manual)
                {
                    if (calls.Count > 0)
                    {
                        _output.WriteVerbose("-ToolInvocation Manual: returning " + Count(calls.Count, "tool call") + " for the caller to answer with New-QwenMessage -Role Tool.");
                    }

                    return LastResponse;
                }

                if (round >= _settings.MaxRounds)
                {
                    _output.WriteWarning(
                        "Stopped after " + Count(round, "round") + " of tool calls (-MaxToolRounds " + _settings.MaxRounds.ToString(CultureInfo.InvariantCulture)
                        + "): the model still asked for " + string.Join(", ", calls.Select(c => c.Name).Distinct()) + ". FinishReason is "
                        + MaxToolRoundsReason + " and ToolCalls lists the calls not run; pipe the response back to Invoke-QwenChat -Tool to go on.");
                    LastResponse = response.WithToolRuns(_runs.ToArray(), MaxToolRoundsReason);
                    return LastResponse;
                }

                round++;
                _output.WriteVerbose("Round " + round.ToString(CultureInfo.InvariantCulture) + ": the model asked for " + Count(calls.Count, "tool call") + ".");
                history = new List<QwenMessage>(response.History);
                RunRound(calls, round, history);
            }
        }

        private void RunRound(IReadOnlyList<QwenToolCall> calls, int round, List<QwenMessage> history)
        {
            foreach (QwenToolCall call in calls)
            {
                CheckTime();
                QwenToolResult result = RunCall(call, round);
                _runs.Add(result);
                history.Add(new QwenMessage(QwenRole.Tool, result.Content, call.Id ?? string.Empty, null));
                if (_settings.Stream)
                {
                    _output.WriteObject(result);
                }
            }
        }

        private QwenToolResult RunCall(QwenToolCall call, int round)
        {
            QwenTool? tool = _settings.Tools.FirstOrDefault(t => string.Equals(t.Name, call.Name, StringComparison.Ordinal));
            OrderedDictionary? arguments = ToolArgumentReader.TryParse(call.Arguments, out string? argumentError);
            string commandLine = ToolArguments.FormatCommandLine(
                tool?.CommandName ?? call.Name,
                arguments,
                name => tool != null && tool.SwitchParameters.Contains(name, StringComparer.OrdinalIgnoreCase));
            if (_settings.Stream)
            {
                _output.WriteObject(new QwenToolCallChunk(round, call, commandLine));
            }

            if (_settings.Live)
            {
                _output.WriteLive(new LiveText("→ " + commandLine + Environment.NewLine, dim: false));
            }

            ToolOutcome outcome;
            var clock = Stopwatch.StartNew();
            if (tool == null)
            {
                string known = string.Join(", ", _settings.Tools.Select(t => t.Name));
                outcome = new ToolOutcome(QwenToolStatus.UnknownTool, ToolResultText.Error("There is no tool named '" + call.Name + "'. The tools are: " + known + "."));
                _output.WriteVerbose("Call " + call.Id + ": the model named '" + call.Name + "', which is not one of the tools given; not run.");
            }
            else if (arguments == null)
            {
                outcome = new ToolOutcome(QwenToolStatus.InvalidArguments, ToolResultText.Error(argumentError + " Nothing was run; call the tool again with a JSON object of arguments."));
                _output.WriteVerbose("Call " + call.Id + " (" + call.Name + "): " + argumentError + " Not run.");
            }
            else if (tool.RequiredParameters.Where(r => !arguments.Contains(r)).ToArray() is string[] missing && missing.Length > 0)
            {
                outcome = new ToolOutcome(QwenToolStatus.InvalidArguments, ToolResultText.Error(
                    "Missing required argument" + (missing.Length == 1 ? " " : "s ") + string.Join(", ", missing) + ". Nothing was run; call the tool again with "
                    + (missing.Length == 1 ? "it." : "them.")));
                _output.WriteVerbose("Call " + call.Id + " (" + call.Name + "): missing " + string.Join(", ", missing) + "; not run.");
            }
            else
            {
                _output.WriteVerbose("Call " + call.Id + ": " + commandLine);
                outcome = _runner.Run(tool, arguments, commandLine, TimeLeft());
            }

            clock.Stop();
            string content = ToolResultText.Cap(outcome.Content, _settings.MaxResultLength, out bool truncated);
            _output.WriteVerbose(
                "Call " + call.Id + " (" + call.Name + "): " + outcome.Status + " in " + clock.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms, "
                + outcome.Content.Length.ToString(CultureInfo.InvariantCulture) + " characters" + (truncated ? " (truncated to -MaxToolResultLength)." : "."));
            return new QwenToolResult(round, call.Id, call.Name, call.Arguments, commandLine, outcome.Status, clock.Elapsed, content, truncated);
        }

        /// <summary>The request for one round: the conversation so far, every field of <paramref name="first"/>, and the
        /// round's tool choice.</summary>
        public static ChatRequest RequestForRound(ChatRequest first, IReadOnlyList<QwenMessage> history, string? toolChoice)
        {
            var request = new ChatRequest(first.Model, history) { AdditionalParameters = first.AdditionalParameters, AudioPath = first.AudioPath };
            foreach (ChatField field in ChatFields.All)
            {
                request[field] = first[field];
            }

            request[ChatFields.ToolChoice] = toolChoice;
            return request;
        }

        /// <summary>The calls of a final assistant message that no tool message answers yet.</summary>
        private static IReadOnlyList<QwenToolCall> UnansweredCalls(List<QwenMessage> history)
        {
            if (history.Count == 0 || history[history.Count - 1].RoleValue != QwenRole.Assistant)
            {
                return Array.Empty<QwenToolCall>();
            }

            return history[history.Count - 1].ToolCalls;
        }

        private TimeSpan? TimeLeft() => _settings.Timeout.HasValue ? _settings.Timeout.Value - _clock.Elapsed : (TimeSpan?)null;

        private void CheckTime()
        {
            TimeSpan? left = TimeLeft();
            if (left.HasValue && left.Value <= TimeSpan.Zero)
            {
                throw new QwenException(
                    QwenErrorIds.Timeout,
                    QwenErrorCategory.OperationTimeout,
                    "The tool loop ran out of its -TimeoutSec budget of " + _settings.Timeout!.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)
                    + " s after " + Count(_runs.Count, "tool call") + ".") { PartialResponse = LastResponse };
            }
        }

        private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? string.Empty : "s");
    }
}
