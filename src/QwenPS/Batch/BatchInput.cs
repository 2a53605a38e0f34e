using System.Collections.Generic;

namespace QwenPS.Batch
{
    /// <summary>What one request of a batch is made from, as the cmdlet unwrapped it (no PowerShell types).</summary>
    internal sealed class BatchInput
    {
        private BatchInput(BatchInputKind kind, object? target)
        {
            Kind = kind;
            Target = target;
        }

        public BatchInputKind Kind { get; }

        /// <summary>The input as the user gave it, for error targets.</summary>
        public object? Target { get; }

        /// <summary>The custom id the input names; null: generated.</summary>
        public string? CustomId { get; private set; }

        public string? Text { get; private set; }

        public string? DocumentPath { get; private set; }

        public IReadOnlyList<QwenMessage>? Messages { get; private set; }

        public IReadOnlyDictionary<string, object?>? Body { get; private set; }

        public static BatchInput FromText(string text, string? customId, object? target) =>
            new BatchInput(BatchInputKind.Text, target) { Text = text, CustomId = customId };

        public static BatchInput FromDocument(string path, string? customId, object? target) =>
            new BatchInput(BatchInputKind.Document, target) { DocumentPath = path, CustomId = customId };

        public static BatchInput FromMessages(IReadOnlyList<QwenMessage> messages, string? customId, object? target) =>
            new BatchInput(BatchInputKind.Messages, target) { Messages = messages, CustomId = customId };

        public static BatchInput FromBody(IReadOnlyDictionary<string, object?> body, string? customId, object? target) =>
            new BatchInput(BatchInputKind.Body, target) { Body = body, CustomId = customId };
    }
}
