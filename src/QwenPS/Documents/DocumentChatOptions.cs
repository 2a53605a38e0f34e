using System;
using System.Collections.Generic;
using QwenPS.Chat;

namespace QwenPS.Documents
{
    /// <summary>Invoke-QwenDocumentChat's parameters as plain values.</summary>
    internal sealed class DocumentChatOptions
    {
        public const string DefaultSystemPrompt = "You are a helpful assistant.";
        public const string DefaultModel = "qwen-long";
        public const int DefaultThrottleLimit = 4;

        /// <param name="prompt">The question asked of every document.</param>
        /// <param name="template">The model, body fields and extras every conversation sends (its messages are not used).</param>
        public DocumentChatOptions(string prompt, ChatRequest template)
        {
            Prompt = prompt;
            Template = template;
        }

        /// <summary>The question asked of every document.</summary>
        public string Prompt { get; }

        /// <summary>The model and every body field (thinking, temperature… as Invoke-QwenChat) of each conversation.</summary>
        public ChatRequest Template { get; }

        /// <summary>One document's request: the template's model and fields, these messages, streamed when the model or
        /// thinking needs it (as Invoke-QwenChat decides).</summary>
        public ChatRequest BuildRequest(IReadOnlyList<QwenMessage> messages, Action<string> verbose)
        {
            var request = new ChatRequest(Template.Model, messages) { AdditionalParameters = Template.AdditionalParameters };
            foreach (ChatField field in ChatFields.All)
            {
                request[field] = Template[field];
            }

            return ChatOperation.PrepareRequest(new ChatRun(), request, verbose);
        }

        public string SystemPrompt { get; set; } = DefaultSystemPrompt;

        public QwenDocumentSendMode SendAs { get; set; } = QwenDocumentSendMode.File;

        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>Neither read nor write the file-id index (identical documents of this command still share one upload).</summary>
        public bool NoReuse { get; set; }

        /// <summary>Delete the files this command uploaded once every document is done.</summary>
        public bool RemoveAfter { get; set; }

        public TimeSpan ProcessingTimeout { get; set; } = TimeSpan.FromSeconds(300);
    }
}
