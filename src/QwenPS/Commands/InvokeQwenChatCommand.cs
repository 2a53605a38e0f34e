using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using QwenPS.Chat;
using QwenPS.Omni;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>
    /// Invoke-QwenChat: collects the piped messages (and conversations), sends them once in EndProcessing,
    /// and writes either one QwenChatResponse or, with -Stream, the records as they arrive.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "QwenChat", SupportsShouldProcess = true)]
    [OutputType(typeof(QwenChatResponse))]
    [OutputType(typeof(QwenReasoningChunk), typeof(QwenContentChunk), typeof(QwenUsage))]
    [OutputType(typeof(QwenAudioChunk))]
    [OutputType(typeof(QwenToolCallChunk), typeof(QwenToolResult))]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeQwenChatCommand : QwenGenerationCmdlet
    {
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Prompt { get; set; }

        [Parameter]
        [ValidateNotNull]
        public QwenMessage[]? Message { get; set; }

        /// <summary>A previous response whose conversation this call continues.</summary>
        [Parameter]
        [ValidateNotNull]
        public QwenChatResponse? Conversation { get; set; }

        /// <summary>
        /// What the pipeline brings: QwenMessage and QwenChatResponse objects (also reloaded with Import-Clixml or
        /// ConvertFrom-Json), and strings as user messages. $null adds nothing; anything else refuses the call.
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public object? InputObject { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(QwenModelCompleter))]
        public string? Model { get; set; }

        [Parameter]
        public SwitchParameter Stream { get; set; }

        /// <summary>Shows the answer on the console as it arrives (reasoning dim), through the Information stream.</summary>
        [Parameter]
        public SwitchParameter Live { get; set; }

        /// <summary>The most characters of answer to keep (reasoning and tool arguments included); past it the call ends with ResponseTooLarge.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxResponseSize { get; set; } = ChatRun.DefaultMaxResponseChars;

        /// <summary>The name of a variable to receive the aggregated response (useful with -Stream).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ResponseVariable { get; set; }

        /// <summary>Qwen-Omni: Text, or Text and Audio for a spoken answer too.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public QwenModality[]? Modality { get; set; }

        /// <summary>Qwen-Omni: the voice of the spoken answer (completes with the voices of -Model).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(QwenVoiceCompleter))]
        public string? Voice { get; set; }

        /// <summary>Qwen-Omni: the WAV file the spoken answer is written to as it arrives.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AudioPath { get; set; }

        /// <summary>Send earlier user messages as text only (their images, audio and video left out).</summary>
        [Parameter]
        public SwitchParameter DropMedia { get; set; }

        // Function calling: the tool loop is in ToolChat.cs.
        /// <summary>Commands (Get-Command output or names), script blocks with a param() block, and New-QwenTool objects.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[]? Tool { get; set; }

        /// <summary>auto (the default), none, or the name of the one tool the model must call first.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ToolChoice { get; set; }

        /// <summary>Lets the model ask for several calls in one response (DashScope's default is one).</summary>
        [Parameter]
        public SwitchParameter ParallelToolCalls { get; set; }

        [Parameter]
        [ValidateRange(1, 100)]
        public int MaxToolRounds { get; set; } = QwenPS.Chat.Tools.ToolLoopSettings.DefaultMaxRounds;

        [Parameter]
        public QwenToolInvocation ToolInvocation { get; set; } = QwenToolInvocation.Confirm;

        [Parameter]
        [ValidateRange(100, int.MaxValue)]
        public int MaxToolResultLength { get; set; } = QwenPS.Chat.Tools.ToolResultText.DefaultMaxLength;

        internal static readonly string[] ToolLoopParameters =
            { nameof(ToolChoice), nameof(ParallelToolCalls), nameof(MaxToolRounds), nameof(ToolInvocation), nameof(MaxToolResultLength) };

        /// <summary>True when -Tool or any tool-loop parameter is given: the call goes through <see cref="ToolChat"/>.</summary>
        private bool UsesTools => Tool != null || System.Linq.Enumerable.Any(ToolLoopParameters, MyInvocation.BoundParameters.ContainsKey);

        /// <summary>JSON object mode: response_format json_object; the answer is written as objects.</summary>
        [Parameter]
        public SwitchParameter AsJson { get; set; }

        /// <summary>JSON schema mode: a hashtable, a JSON string or a path; the answer is checked against it.</summary>
        [Parameter]
        [ValidateNotNull]
        public object? JsonSchema { get; set; }

        /// <summary>Writes the answer as PowerShell objects (implied by -AsJson and -JsonSchema).</summary>
        [Parameter]
        public SwitchParameter AsObject { get; set; }

        /// <summary>How many times an unusable JSON answer is asked for again.</summary>
        [Parameter]
        [ValidateRange(0, 5)]
        public int MaxRepair { get; set; } = 1;

        /// <summary>Continues the piped response, cut by the token limit, in partial mode.</summary>
        [Parameter]
        public SwitchParameter Continue { get; set; }

        /// <summary>Lets the model search the web (enable_search).</summary>
        [Parameter]
        public SwitchParameter EnableSearch { get; set; }

        /// <summary>search_options, e.g. @{ forced_search = $true; search_strategy = 'max' }; implies -EnableSearch.</summary>
        [Parameter]
        [ValidateNotNull]
        public IDictionary? SearchOption { get; set; }

        private readonly List<object> _inputs = new List<object>();

        private bool _inputFromCommandLine;
        private string? _restoredModel;

        protected override void BeginProcessing()
        {
            // Parameters bound before the first record came from the command line: take them once, here.
            // A conversation given this way comes before the messages, and both before piped input.
            if (Conversation != null)
            {
                _inputs.Add(Conversation);
            }

            if (Message != null)
            {
                _inputs.AddRange(Message);
            }

            _inputFromCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(InputObject));
            if (_inputFromCommandLine)
            {
                AddInput();
            }
        }

        protected override void ProcessRecord()
        {
            if (!_inputFromCommandLine)
            {
                AddInput();
            }
        }

        private void AddInput()
        {
            try
            {
                _restoredModel = PipelineInput.Add(InputObject, _inputs) ?? _restoredModel;
            }
            catch (QwenException error)
            {
                // Terminating: EndProcessing never runs, so no request goes out without this input.
                ThrowQwenError(error);
            }
        }

        protected override void EndProcessing()
        {
            var run = new ChatRun
            {
                Stream = Stream.IsPresent,
                Live = Live.IsPresent,
                LiveWholeLines = Live.IsPresent && !HostShowsFragments(),
                MaxResponseChars = MaxResponseSize,
                JsonOutput = AsJson.IsPresent || AsObject.IsPresent || JsonSchema != null,
                MaxRepair = MaxRepair,
            };
            if (UsesTools)
            {
                if (run.JsonOutput)
                {
                    // The tool loop writes a QwenChatResponse; asking for objects as well would be two outputs at once.
                    Guard(() => throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument,
                        "-AsJson, -JsonSchema and -AsObject cannot be combined with -Tool: ask for JSON in a second call, after the tools have run."));
                }

                ToolChat.Run(this, run, Guard(BuildRequest));
                return;
            }

            ChatRequest request = Guard(() =>
            {
                run.JsonSchema = JsonSchema == null ? null : JsonSchemaArgument.Resolve(JsonSchema, this);
                return ChatOperation.PrepareRequest(run, BuildRequest(), WriteVerbose, WriteWarning);
            });

            // -WhatIf and -Confirm exist for the tools (ToolChat.cs); a plain chat spends money, so it asks too.
            if (!ShouldProcess(request.Model, "Send " + request.Messages.Count + " message(s) to the chat model"))
            {
                return;
            }

            if (run.JsonOutput)
            {
                RunJson(request, run);
                return;
            }

            QwenClientFactory factory = ResolveClient();
            try
            {
                QwenChatResponse response = RunEngine((output, token) => ChatOperation.RunAsync(factory.CreateClient(output), request, run, output, token));
                SetResponseVariable(response);
            }
            catch (QwenException error) when (error.PartialResponse != null)
            {
                // A cut (or capped) stream: what arrived is already in the pipeline, so the error does not end the
                // statement, and `$r = Invoke-QwenChat ...` keeps the partial response (-ErrorAction Stop still stops).
                SetResponseVariable(error.PartialResponse);
                WriteError(ToErrorRecord(error));
            }
            catch (QwenException error)
            {
                SetResponseVariable(run.PartialResponse);
                ThrowQwenError(error);
            }
            catch (System.Exception)
            {
                // What arrived before the stop (marked incomplete), or $null when nothing did.
                SetResponseVariable(run.PartialResponse);
                throw;
            }
        }

        /// <summary>
        /// With -Live and without -Stream, the response carries the extra type name QwenPS.QwenChatResponse#Live, whose
        /// console view leaves out the answer just shown live (it was printed twice); the object is the same.
        /// </summary>
        internal override object ForOutput(object item)
        {
            if (Live.IsPresent && !Stream.IsPresent && item is QwenChatResponse)
            {
                PSObject wrapped = PSObject.AsPSObject(item);
                wrapped.TypeNames.Insert(0, LiveTypeName);
                return wrapped;
            }

            return item;
        }

        internal const string LiveTypeName = "QwenPS.QwenChatResponse#Live";

        /// <summary>
        /// True for an interactive console (pwsh, powershell.exe, the VS Code terminal) whose output is not redirected:
        /// it shows -Live fragments in place. Elsewhere (runbooks, jobs, remoting, hosted runspaces, redirected
        /// output) each information record is kept as a line, so -Live writes whole lines; so it does at a console whose
        /// Information stream is redirected or that runs a transcript (<see cref="LiveTextRecording"/>).
        /// </summary>
        private bool HostShowsFragments()
        {
            string? name = Host?.Name;
            if (name != "ConsoleHost" && name != "Visual Studio Code Host")
            {
                return false;
            }

            try
            {
                return Host!.UI?.RawUI != null && !Console.IsOutputRedirected && !LiveTextRecording.IsRecorded(this, Host);
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <summary>The messages, the model, and every bound parameter that is a body field (a row of <see cref="ChatFields"/>).</summary>
        private ChatRequest BuildRequest()
        {
            IReadOnlyList<QwenMessage> messages = Continue.IsPresent ? ContinueRequest.Messages(_inputs, Prompt) : ChatOperation.BuildMessages(_inputs, Prompt);
            if (DropMedia.IsPresent)
            {
                messages = MediaMessages.DropEarlierMedia(messages, WriteVerbose);
            }

            // A response reloaded from CLIXML or JSON names its model too; a live piped response wins over it.
            bool livePiped = _inputs.Exists(i => i is QwenChatResponse);
            string model = ChatOperation.ResolveModel(Model ?? (livePiped ? null : _restoredModel), _inputs, RunspaceScope);
            var request = new ChatRequest(model, messages)
            {
                AdditionalParameters = AdditionalParameter == null ? null : PowerShellValues.ToDictionary(AdditionalParameter),
            };
            foreach (ChatField field in ChatFields.All)
            {
                // -Tool's commands are turned into the tools field by the tool loop (ToolChat.cs).
                if (field.Kind != ChatFieldKind.Tools && MyInvocation.BoundParameters.TryGetValue(field.Parameter, out object? value))
                {
                    request[field] = PowerShellValues.ToPlain(value);
                }
            }

            if (AudioPath != null)
            {
                request.AudioPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(AudioPath);
            }

            return request;
        }

        /// <summary>JSON output: the answer as objects (an array answer as one object per item); the response in -ResponseVariable.</summary>
        private void RunJson(ChatRequest request, ChatRun run)
        {
            try
            {
                (QwenChatResponse response, System.Text.Json.JsonElement value) = RunWithClient((client, output, token) => ChatOperation.RunJsonAsync(client, request, run, output, token));
                SetResponseVariable(response);
                WriteObject(JsonToPowerShell.Convert(value), enumerateCollection: true);
            }
            catch (System.Exception)
            {
                SetResponseVariable(run.PartialResponse);
                throw;
            }
        }

        internal void SetResponseVariable(QwenChatResponse? response)
        {
            if (ResponseVariable != null)
            {
                SessionState.PSVariable.Set(ResponseVariable, response);
            }
        }
    }
}
