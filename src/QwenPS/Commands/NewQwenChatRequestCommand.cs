using System.Collections.Generic;
using System.Management.Automation;

namespace QwenPS.Commands
{
    /// <summary>
    /// New-QwenChatRequest: one chat request for Start-QwenBatch, made of the piped messages (collected into one
    /// conversation), an optional system prompt before them and an optional prompt after them, with an optional custom id.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "QwenChatRequest")]
    [OutputType(typeof(QwenChatRequest))]
    public sealed class NewQwenChatRequestCommand : QwenCmdlet
    {
        /// <summary>The user message that ends the conversation.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Prompt { get; set; }

        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public QwenMessage[]? Message { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SystemPrompt { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CustomId { get; set; }

        private readonly List<QwenMessage> _messages = new List<QwenMessage>();

        protected override void ProcessRecord()
        {
            if (Message != null)
            {
                _messages.AddRange(Message);
            }
        }

        protected override void EndProcessing()
        {
            var messages = new List<QwenMessage>(_messages.Count + 2);
            if (SystemPrompt != null)
            {
                messages.Add(new QwenMessage(QwenRole.System, SystemPrompt));
            }

            messages.AddRange(_messages);
            if (Prompt != null)
            {
                messages.Add(new QwenMessage(QwenRole.User, Prompt));
            }

            if (messages.Count == 0)
            {
                ThrowQwenError(new QwenException(
                    QwenErrorIds.BatchInputInvalid,
                    QwenErrorCategory.InvalidArgument,
                    "A chat request needs messages: pipe QwenMessage objects (New-QwenMessage) or give -Prompt."));
            }

            WriteObject(new QwenChatRequest(messages.AsReadOnly(), CustomId));
        }
    }
}
