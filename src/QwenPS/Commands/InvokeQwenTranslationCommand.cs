using System.Collections.Generic;
using System.Management.Automation;
using QwenPS.Translation;

namespace QwenPS.Commands
{
    /// <summary>
    /// Invoke-QwenTranslation: each piped string (or -Text) is one Qwen-MT call with exactly one user message; results
    /// come in input order, -ThrottleLimit calls at a time. Everything is checked before the first request.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "QwenTranslation", DefaultParameterSetName = TextSet)]
    [OutputType(typeof(QwenTranslation), typeof(QwenContentChunk))]
    public sealed class InvokeQwenTranslationCommand : QwenServiceCmdlet
    {
        private const string TextSet = "Text";
        private const string MessageSet = "Message";
        private readonly List<object> _inputs = new List<object>();

        /// <summary>The texts to translate; one call each.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] Text { get; set; } = System.Array.Empty<string>();

        /// <summary>User messages whose text is translated; any other role is refused before sending.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = MessageSet)]
        public QwenMessage[] Message { get; set; } = System.Array.Empty<QwenMessage>();

        [Parameter]
        [ArgumentCompleter(typeof(QwenLanguageCompleter))]
        public string From { get; set; } = TranslationLanguages.Auto;

        [Parameter]
        [ArgumentCompleter(typeof(QwenLanguageCompleter))]
        public string? To { get; set; }

        [Parameter]
        public object[]? Term { get; set; }

        [Parameter]
        public object[]? TranslationMemory { get; set; }

        [Parameter]
        public string? Domain { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(QwenModelCompleter))]
        [ValidateNotNullOrEmpty]
        public string Model { get; set; } = TranslationOperation.DefaultModel;

        [Parameter]
        public SwitchParameter Stream { get; set; }

        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = 4;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == MessageSet)
            {
                _inputs.AddRange(Message);
            }
            else
            {
                _inputs.AddRange(Text);
            }
        }

        protected override void EndProcessing()
        {
            // Every input and option is checked before the first request: one bad message stops them all.
            var texts = new List<string>(_inputs.Count);
            TranslationRequest request = Guard(() =>
            {
                foreach (object input in _inputs)
                {
                    texts.Add(TranslationOperation.TextOf(input));
                }

                return TranslationOperation.Create(
                    Model, From, To, TranslationPairs.From(Term, nameof(Term)), TranslationPairs.From(TranslationMemory, nameof(TranslationMemory)), Domain, Stream.IsPresent);
            });
            if (texts.Count == 0)
            {
                return;
            }

            RunWithClient((client, output, token) => TranslationOperation.RunAsync(client, request, texts, ThrottleLimit, output, token));
        }
    }
}
