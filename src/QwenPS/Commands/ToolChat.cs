using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using QwenPS.Chat;
using QwenPS.Chat.Tools;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>
    /// Invoke-QwenChat with -Tool: refuses bad tool input before any request, turns the tools into the request's tools
    /// field, and runs the <see cref="ToolLoop"/> on the pipeline thread, each round's request through the output pump
    /// and each call through <see cref="PowerShellToolRunner"/> in the caller's runspace.
    /// </summary>
    internal static class ToolChat
    {
        public static void Run(InvokeQwenChatCommand cmdlet, ChatRun run, ChatRequest request)
        {
            // Everything that can be refused is refused here, before any request.
            if (cmdlet.Tool == null)
            {
                cmdlet.ThrowQwenError(Invalid("-" + InvokeQwenChatCommand.ToolLoopParameters.First(cmdlet.MyInvocation.BoundParameters.ContainsKey) + " needs -Tool: the commands the model may call.", null));
                return;
            }

            IReadOnlyList<QwenTool> tools = cmdlet.Guard(() => new ToolFactory(cmdlet).FromInputs(cmdlet.Tool));
            string? choice = cmdlet.Guard(() => CheckChoice(cmdlet.ToolChoice, tools, request));
            if (cmdlet.ToolInvocation == QwenToolInvocation.Confirm && !HostInteraction.CanPrompt(cmdlet.Host))
            {
                cmdlet.ThrowQwenError(new QwenException(QwenErrorIds.ConfirmationUnavailable, QwenErrorCategory.InvalidOperation,
                    "Tool calls need a yes before they run (-ToolInvocation Confirm, the default), and this host cannot ask. "
                    + "Use -ToolInvocation Auto to run the given tools without asking (give only commands that are safe to run), or Manual to answer the calls yourself.")
                { Target = "ToolInvocation" });
                return;
            }

            request[ChatFields.Tools] = tools.Select(t => new ToolDefinition(t.Name, t.Description, t.Parameters)).ToArray();
            var settings = new ToolLoopSettings(tools)
            {
                Invocation = cmdlet.ToolInvocation,
                MaxRounds = cmdlet.MaxToolRounds,
                MaxResultLength = cmdlet.MaxToolResultLength,
                Stream = run.Stream,
                Live = run.Live,
                Timeout = cmdlet.TimeoutSec > 0 ? TimeSpan.FromSeconds(cmdlet.TimeoutSec) : (TimeSpan?)null,
            };
            var runner = new PowerShellToolRunner(cmdlet, cmdlet.ToolInvocation, WhatIfRequested(cmdlet), ConfirmRequested(cmdlet), cmdlet.MaxToolResultLength, cmdlet.StopToken);
            cmdlet.WriteVerbose(tools.Count + " tool(s): " + string.Join(", ", tools.Select(t => t.Name)) + "; -ToolInvocation " + cmdlet.ToolInvocation + ", at most " + cmdlet.MaxToolRounds + " round(s).");

            // One client factory for the whole loop: its -TimeoutSec deadline covers every round.
            QwenClientFactory factory = cmdlet.ResolveClient();
            var loop = new ToolLoop(settings, runner, new CmdletOutput(cmdlet));
            ChatRun? round = null;
            try
            {
                QwenChatResponse final = cmdlet.Guard(() => loop.Run(request.Messages, (history, number) =>
                {
                    round = new ChatRun { Stream = run.Stream, Live = run.Live, WriteResponse = false };
                    ChatRequest next = ChatOperation.PrepareRequest(round, ToolLoop.RequestForRound(request, history, ToolChoices.ForRound(choice, number)), cmdlet.WriteVerbose);
                    ChatRun current = round;
                    return cmdlet.RunWithClient(factory, (client, output, token) => ChatOperation.RunAsync(client, next, current, output, token));
                }));
                if (!run.Stream)
                {
                    cmdlet.WriteObject(final);
                }

                cmdlet.SetResponseVariable(final);
            }
            catch (Exception)
            {
                cmdlet.SetResponseVariable(round?.PartialResponse ?? loop.LastResponse);
                throw;
            }
        }

        /// <summary>-ToolChoice: auto or none, or a tool's name, which DashScope refuses while the model thinks.</summary>
        private static string? CheckChoice(string? choice, IReadOnlyList<QwenTool> tools, ChatRequest request)
        {
            if (choice == null || !ToolChoices.IsNamed(choice))
            {
                return choice?.ToLowerInvariant();
            }

            if (!tools.Any(t => t.Name == choice))
            {
                throw Invalid("-ToolChoice '" + choice + "' is none of auto, none or the tools given (" + string.Join(", ", tools.Select(t => t.Name)) + ").", choice);
            }

            bool thinking = (bool?)request[ChatFields.EnableThinking] ?? ModelCatalog.ThinksByDefault(request.Model);
            if (thinking)
            {
                throw Invalid("-ToolChoice cannot name a tool while the model thinks: DashScope refuses a forced function in thinking mode. "
                    + "Use -ToolChoice auto, or turn thinking off with -EnableThinking:$false.", choice);
            }

            return choice;
        }

        /// <summary>-WhatIf on this call, or $WhatIfPreference in the caller's scope: forwarded to the tools.</summary>
        private static bool WhatIfRequested(InvokeQwenChatCommand cmdlet)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value))
            {
                return value is SwitchParameter flag ? flag.IsPresent : LanguagePrimitives.IsTrue(value);
            }

            return LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        private static bool? ConfirmRequested(InvokeQwenChatCommand cmdlet)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out object? value))
            {
                return value is SwitchParameter flag ? flag.IsPresent : LanguagePrimitives.IsTrue(value);
            }

            return null;
        }

        private static QwenException Invalid(string message, object? target) =>
            new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, message) { Target = target };
    }
}
