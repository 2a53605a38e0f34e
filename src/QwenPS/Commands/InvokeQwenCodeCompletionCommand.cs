using System.Management.Automation;
using QwenPS.Completions;

namespace QwenPS.Commands
{
    /// <summary>
    /// Invoke-QwenCodeCompletion: fill-in-the-middle on /completions (Beijing only), from -Prefix/-Suffix or a file split
    /// at -Line/-Column. Model, region and input are checked before the request.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "QwenCodeCompletion", DefaultParameterSetName = TextSet)]
    [OutputType(typeof(QwenCodeCompletion), typeof(QwenContentChunk))]
    public sealed class InvokeQwenCodeCompletionCommand : QwenServiceCmdlet
    {
        private const string TextSet = "Text";
        private const string PathSet = "Path";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TextSet)]
        [ValidateNotNull]
        public string Prefix { get; set; } = string.Empty;

        [Parameter(Position = 1, ParameterSetName = TextSet)]
        public string? Suffix { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Line { get; set; }

        [Parameter(ParameterSetName = PathSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Column { get; set; } = 1;

        [Parameter]
        [ArgumentCompleter(typeof(QwenModelCompleter))]
        [ValidateNotNullOrEmpty]
        public string Model { get; set; } = CompletionsOperation.DefaultModel;

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxTokens { get; set; }

        [Parameter]
        [ValidateRange(0.0, 1.99)]
        public double Temperature { get; set; }

        [Parameter]
        [ValidateRange(0.01, 1.0)]
        public double TopP { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Stop { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Seed { get; set; }

        [Parameter]
        [ValidateRange(-2.0, 2.0)]
        public double PresencePenalty { get; set; }

        [Parameter]
        public SwitchParameter Stream { get; set; }

        protected override void EndProcessing()
        {
            CompletionRequest request = Guard(() =>
            {
                string prefix = Prefix;
                string? suffix = Suffix;
                if (ParameterSetName == PathSet)
                {
                    (prefix, suffix) = CompletionsOperation.Split(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), Line, Column);
                }

                CompletionRequest built = CompletionsOperation.Create(Model, prefix, suffix);
                built.Stream = Stream.IsPresent;
                built.MaxTokens = Bound(nameof(MaxTokens)) ? MaxTokens : (int?)null;
                built.Temperature = Bound(nameof(Temperature)) ? Temperature : (double?)null;
                built.TopP = Bound(nameof(TopP)) ? TopP : (double?)null;
                built.Stop = Stop;
                built.Seed = Bound(nameof(Seed)) ? Seed : (int?)null;
                built.PresencePenalty = Bound(nameof(PresencePenalty)) ? PresencePenalty : (double?)null;
                return built;
            });

            RunWithClient((client, output, token) => CompletionsOperation.RunAsync(client, request, output, token));
        }

        private bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
    }
}
