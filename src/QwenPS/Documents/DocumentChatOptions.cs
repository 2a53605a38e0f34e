using System;
using System.Collections.Generic;
using QwenPS.Wire;

namespace QwenPS.Documents
{
    /// <summary>Invoke-QwenDocumentChat's parameters as plain values.</summary>
    internal sealed class DocumentChatOptions
    {
        public const string DefaultSystemPrompt = "You are a helpful assistant.";
        public const string DefaultModel = "qwen-long";
        public const int DefaultThrottleLimit = 4;

        public DocumentChatOptions(string prompt, Func<IReadOnlyList<QwenMessage>, ChatRequest> buildRequest)
        {
            Prompt = prompt;
            BuildRequest = buildRequest;
        }

        /// <summary>The question asked of every document.</summary>
        public string Prompt { get; }

        /// <summary>Makes the chat request for one document's messages (model, thinking, temperature… as Invoke-QwenChat).</summary>
        public Func<IReadOnlyList<QwenMessage>, ChatRequest> BuildRequest { get; }

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
