using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using QwenPS.Batch;
using QwenPS.Chat;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>
    /// Start-QwenBatch: writes one request line per piped input into a temporary JSONL file as the inputs arrive (every
    /// limit checked there, before anything is sent), then, once ShouldProcess agrees, uploads it with purpose batch,
    /// creates the batch and writes the <see cref="QwenBatch"/>.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "QwenBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(QwenBatch))]
    public sealed class StartQwenBatchCommand : QwenGenerationCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject? InputObject { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(QwenModelCompleter))]
        public string? Model { get; set; }

        [Parameter]
        public QwenBatchEndpoint Endpoint { get; set; } = QwenBatchEndpoint.ChatCompletions;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SystemPrompt { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PromptProperty { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CustomIdProperty { get; set; }

        [Parameter]
        [ValidatePattern("^[0-9]+[hd]$")]
        public string CompletionWindow { get; set; } = "24h";

        [Parameter]
        [ValidateLength(1, 100)]
        public string? Name { get; set; }

        [Parameter]
        [ValidateLength(1, 200)]
        public string? Description { get; set; }

        /// <summary>JSON object mode (response_format json_object) in every request; Receive-QwenBatch parses the answers.</summary>
        [Parameter]
        public SwitchParameter AsJson { get; set; }

        /// <summary>JSON schema mode in every request: a hashtable, a JSON string or a path; the answers are checked against it.</summary>
        [Parameter]
        [ValidateNotNull]
        public object? JsonSchema { get; set; }

        private BatchBuildOptions? _options;
        private BatchInputBuilder? _builder;
        private readonly List<object?> _inputs = new List<object?>();

        protected override void BeginProcessing()
        {
            Guard(() =>
            {
                BatchWindow.Check(CompletionWindow);
                string model = Model ?? ConnectionOperations.Defaults(RunspaceScope)?.Model ?? ModelCatalog.DefaultModel;
                var options = new BatchBuildOptions(model, Endpoint)
                {
                    SystemPrompt = SystemPrompt,
                    AdditionalParameters = AdditionalParameter == null ? null : PowerShellValues.ToDictionary(AdditionalParameter),
                    MappingFolder = BatchDataFolder.Resolve(Environment),
                };
                foreach (ChatField field in ChatFields.All)
                {
                    if (MyInvocation.BoundParameters.TryGetValue(field.Parameter, out object? value))
                    {
                        options.Fields.Add(new KeyValuePair<ChatField, object>(field, field.Normalize(PowerShellValues.ToPlain(value)!)));
                    }
                }

                _notForReadyBodies = options.Fields.Select(f => "-" + f.Key.Parameter).Concat(SystemPrompt != null ? new[] { "-" + nameof(SystemPrompt) } : new string[0]).ToList();
                if (options.IsEmbeddings && (options.Fields.Count > 0 || SystemPrompt != null))
                {
                    throw new QwenException(
                        QwenErrorIds.InvalidArgument,
                        QwenErrorCategory.InvalidArgument,
                        "-SystemPrompt and the chat parameters (-Temperature, -MaxTokens, -EnableThinking…) apply to chat requests, not to an embeddings batch: use -AdditionalParameter for embedding options.") { Target = Endpoint };
                }

                if (!options.IsEmbeddings && !MyInvocation.BoundParameters.ContainsKey(nameof(EnableThinking)))
                {
                    // Newer models think unless told not to, and a batch file takes one thinking mode: always say which.
                    options.Fields.Insert(0, new KeyValuePair<ChatField, object>(ChatFields.EnableThinking, false));
                }

                if (AsJson.IsPresent || JsonSchema != null)
                {
                    bool? thinking = MyInvocation.BoundParameters.ContainsKey(nameof(EnableThinking)) ? EnableThinking.IsPresent : (bool?)null;
                    options.UseJsonOutput(JsonSchema == null ? null : JsonSchemaArgument.Resolve(JsonSchema, this), thinking, WriteVerbose, WriteWarning);
                }

                _options = options;
                _builder = new BatchInputBuilder(options);
                WriteVerbose("Writing the requests for " + model + " (" + options.ServiceEndpoint + ") to " + _builder.RequestFile + ".");
            });
        }

        protected override void ProcessRecord()
        {
            PSObject input = InputObject!;
            Guard(() =>
            {
                // -InputObject @('a', 'b') given on the command line is a list of inputs, as the same list piped would be.
                if (input.BaseObject is IList list && !(input.BaseObject is IDictionary))
                {
                    foreach (object? item in list)
                    {
                        if (item != null)
                        {
                            Add(PSObject.AsPSObject(item));
                        }
                    }

                    return;
                }

                Add(input);
            });
        }

        private void Add(PSObject input)
        {
            BatchInput request = BatchInputs.From(input, PromptProperty, CustomIdProperty);
            if (request.Kind == BatchInputKind.Body && _notForReadyBodies.Count > 0 && !_warnedReadyBody)
            {
                // A ready body is sent as written; saying so once beats a silent batch without the temperature asked for.
                _warnedReadyBody = true;
                WriteWarning("A hashtable body is sent as it is: " + string.Join(", ", _notForReadyBodies) + " apply to the other inputs only. Put those fields in the body itself.");
            }

            _builder!.Add(request);
            _inputs.Add(BatchInputs.Original(input));
        }

        private List<string> _notForReadyBodies = new List<string>();
        private bool _warnedReadyBody;

        protected override void EndProcessing()
        {
            BatchInputBuilder builder = _builder!;
            BatchBuildOptions options = _options!;
            Guard(builder.Complete);
            if (builder.JsonInstructionsAdded > 0)
            {
                WriteVerbose("JSON object mode needs the word \"json\" in a system or user message: " + builder.JsonInstructionsAdded.ToString(CultureInfo.InvariantCulture)
                    + " request(s) had none and got the system message \"" + StructuredOutput.JsonInstruction + "\".");
            }

            string target = string.Format(
                CultureInfo.InvariantCulture,
                "{0:N0} requests for {1} ({2}, {3})",
                builder.Count,
                options.Model,
                options.ServiceEndpoint,
                BatchJsonlWriter.Size(builder.Bytes));
            if (!ShouldProcess(target, "Start a DashScope batch, billed at the batch price"))
            {
                return;
            }

            var metadata = new Dictionary<string, string>();
            if (Name != null)
            {
                metadata[BatchMapper.NameKey] = Name;
            }

            if (Description != null)
            {
                metadata[BatchMapper.DescriptionKey] = Description;
            }

            QwenBatch batch = RunWithClient((client, output, token) => BatchOperations.StartAsync(client, builder, options, CompletionWindow, metadata, token));
            BatchInputStore.Set(CreateRunspaceScope(), batch.Id, _inputs.AsReadOnly());
            WriteObject(batch);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // A refused input, a stop or -WhatIf: the temporary request file and an uncommitted mapping go.
                _builder?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
