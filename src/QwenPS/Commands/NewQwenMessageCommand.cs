using System.Management.Automation;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>
    /// New-QwenMessage: passes through every message (or chat response) piped in, then emits its own, so
    /// a conversation is written as a pipeline: <c>New-QwenMessage user 'Hi' | New-QwenMessage assistant '...'</c>.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "QwenMessage")]
    [OutputType(typeof(QwenMessage), typeof(QwenChatResponse))]
    public sealed class NewQwenMessageCommand : QwenCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public QwenRole Role { get; set; }

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Content { get; set; } = string.Empty;

        /// <summary>For a tool message: the id of the tool call it answers.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ToolCallId { get; set; }

        /// <summary>Messages or chat responses to pass through ahead of the new message.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        private QwenMessage? _message;

        protected override void BeginProcessing()
        {
            // Validate before any input flows, so a bad message stops the pipeline before anything is sent.
            _message = Guard(() => MessageFactory.Create(Role, Content, ToolCallId));
        }

        protected override void ProcessRecord() => PassThrough(this, InputObject);

        protected override void EndProcessing() => WriteObject(_message);

        internal static void PassThrough(Cmdlet cmdlet, PSObject? input)
        {
            if (input == null)
            {
                return;
            }

            object item = input.BaseObject;
            if (MessageFactory.IsConversationItem(item))
            {
                cmdlet.WriteObject(item);
                return;
            }

            var error = new QwenException(
                QwenErrorIds.InvalidArgument,
                QwenErrorCategory.InvalidType,
                "Only QwenMessage and QwenChatResponse objects can be piped here; got " + item.GetType().FullName + ".") { Target = item };
            cmdlet.WriteError(ToErrorRecord(error));
        }
    }
}
