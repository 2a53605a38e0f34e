using System.Collections;
using System.Management.Automation;

namespace QwenPS.Commands
{
    /// <summary>
    /// The generation parameters every chat-sending cmdlet takes the same way (Invoke-QwenChat, Invoke-QwenDocumentChat,
    /// Start-QwenBatch): declared once, so their validation cannot drift apart. Each is a row of Chat/ChatFields; the
    /// cmdlets copy the bound ones into the request by name.
    /// </summary>
    public abstract class QwenGenerationCmdlet : QwenServiceCmdlet
    {
        [Parameter]
        public SwitchParameter EnableThinking { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int ThinkingBudget { get; set; }

        [Parameter]
        [ValidateRange(0.0, 2.0)]
        public double Temperature { get; set; }

        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double TopP { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int TopK { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxTokens { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Seed { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Stop { get; set; }

        [Parameter]
        [ValidateRange(-2.0, 2.0)]
        public double PresencePenalty { get; set; }

        /// <summary>Extra top-level body fields for options QwenPS does not model yet.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? AdditionalParameter { get; set; }
    }
}
