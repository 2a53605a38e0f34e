using System.Collections.Generic;
using System.Management.Automation;
using QwenPS.Engine;
using QwenPS.Omni;

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

        /// <summary>Partial mode: the model continues this assistant message (it must be the last one sent).</summary>
        [Parameter]
        public SwitchParameter Partial { get; set; }

        /// <summary>Marks the end of an explicit context-cache block.</summary>
        [Parameter]
        public SwitchParameter Cache { get; set; }

        /// <summary>Messages or chat responses to pass through ahead of the new message.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>Images (files or URLs) beside the text of a user message.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Image { get; set; }

        /// <summary>An audio file or URL beside the text of a user message (Qwen-Omni).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Audio { get; set; }

        /// <summary>A video file or URL beside the text of a user message.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Video { get; set; }

        /// <summary>Images (files or URLs) sent as the frames of one video.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? VideoFrame { get; set; }

        private QwenMessage? _message;

        protected override void BeginProcessing()
        {
            // Validate before any input flows, so a bad message stops the pipeline before anything is sent.
            _message = Guard(() => MessageFactory.Create(Role, Content, ToolCallId, Partial.IsPresent, Cache.IsPresent));
            if (Image != null || Audio != null || Video != null || VideoFrame != null)
            {
                _message = Guard(() => MediaMessages.Create(Role, Content, ReadMedia()));
                if (Cache.IsPresent)
                {
                    // The marker goes on the last part, so the whole message is in the cached block.
                    _message = MessageFactory.WithCache(_message);
                }
            }
        }

        /// <summary>-Image, -Audio, -Video, -VideoFrame as inputs; more than one of them is refused by MediaMessages.</summary>
        private List<MediaInput> ReadMedia()
        {
            var media = new List<MediaInput>();
            foreach (string image in Image ?? new string[0])
            {
                media.Add(MediaReader.Read(image, MediaKind.Image, ResolveFile));
            }

            if (Audio != null)
            {
                media.Add(MediaReader.Read(Audio, MediaKind.Audio, ResolveFile));
            }

            if (Video != null)
            {
                media.Add(MediaReader.Read(Video, MediaKind.Video, ResolveFile));
            }

            if (VideoFrame != null)
            {
                media.Add(MediaReader.ReadFrames(VideoFrame, ResolveFile));
            }

            return media;
        }

        /// <summary>A PowerShell path (relative to the current location, PSDrives) as a file system path.</summary>
        private string ResolveFile(string path)
        {
            string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "'" + path + "' is not a file system path.") { Target = path };
            }

            return resolved;
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
