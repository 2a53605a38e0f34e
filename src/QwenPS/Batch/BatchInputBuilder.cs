using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using QwenPS.Chat;
using QwenPS.Chat.Wire;
using QwenPS.Documents;
using QwenPS.Engine;
using QwenPS.Transport;

namespace QwenPS.Batch
{
    /// <summary>
    /// Start-QwenBatch's request file, built as the inputs arrive: each input becomes one line of a temporary JSONL file
    /// (through <see cref="BatchJsonlWriter"/>, which checks every limit) and one line of the mapping file (custom id,
    /// position, input text). Nothing is kept per input but its custom id, so memory stays flat however many arrive.
    /// Disposing it deletes both files unless <see cref="Complete"/> handed them over.
    /// </summary>
    internal sealed class BatchInputBuilder : IDisposable
    {
        internal const string GeneratedIdPrefix = "qwenps-";

        private readonly BatchBuildOptions _options;
        private readonly BatchJsonlWriter _writer;
        private readonly BatchMappingWriter _mapping;

        public BatchInputBuilder(BatchBuildOptions options)
        {
            _options = options;
            string folder = options.TempFolder ?? Path.GetTempPath();
            RequestFile = Path.Combine(folder, "qwenps-batch-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".jsonl");
            FileStream file = PrivateFiles.CreateNew(RequestFile, FileShare.Read, 64 * 1024);
            _writer = new BatchJsonlWriter(file, options.ServiceEndpoint, options.Limits);
            try
            {
                _mapping = new BatchMappingWriter(options.MappingFolder, options.Model, options.ServiceEndpoint, options.ResponseFormat);
            }
            catch
            {
                _writer.Dispose();
                File.Delete(RequestFile);
                throw;
            }
        }

        /// <summary>The temporary JSONL file being written.</summary>
        public string RequestFile { get; }

        public int Count => _writer.LineCount;

        public long Bytes => _writer.Bytes;

        /// <summary>How many requests got the system message "Reply with JSON." (JSON object mode needs the word in each request).</summary>
        public int JsonInstructionsAdded { get; private set; }

        /// <summary>Writes one request line for <paramref name="input"/>; its position is the number of inputs before it.</summary>
        public void Add(BatchInput input)
        {
            int position = _writer.LineCount;
            string customId = input.CustomId ?? GeneratedIdPrefix + (position + 1).ToString(CultureInfo.InvariantCulture);
            switch (input.Kind)
            {
                case BatchInputKind.Text:
                    AddPrompt(customId, RequireText(input.Text, customId, input.Target), input.Text!, input.Target);
                    break;
                case BatchInputKind.Document:
                    string text = ReadDocument(input.DocumentPath!, customId, input.Target);
                    AddPrompt(customId, text, input.DocumentPath!, input.Target);
                    break;
                case BatchInputKind.Messages:
                    AddMessages(customId, input);
                    break;
                default:
                    AddBody(customId, input);
                    break;
            }
        }

        /// <summary>Closes the request file; the caller uploads it, then <see cref="Commit"/>s the mapping.</summary>
        public void Complete()
        {
            if (_writer.LineCount == 0)
            {
                throw new QwenException(QwenErrorIds.BatchInputInvalid, QwenErrorCategory.InvalidArgument, "Start-QwenBatch received no input: pipe prompts, objects, files, requests or bodies to it.");
            }

            _writer.Dispose();
        }

        /// <summary>Names the mapping file after the batch; returns its path.</summary>
        public string Commit(string batchId) => _mapping.Commit(batchId);

        public void Dispose()
        {
            _writer.Dispose();
            _mapping.Dispose();
            TryDelete(RequestFile);
        }

        private void AddPrompt(string customId, string text, string mappingText, object? target)
        {
            _writer.EnsureFits(text, customId, target);
            if (_options.IsEmbeddings)
            {
                Write(customId, _options.Model, json =>
                {
                    json.WriteStartObject();
                    json.WriteString("model", _options.Model);
                    json.WriteString("input", text);
                    WriteExtra(json, new HashSet<string> { "model", "input" });
                    json.WriteEndObject();
                }, mappingText, target);
                return;
            }

            var messages = new List<QwenMessage>(2);
            if (_options.SystemPrompt != null)
            {
                messages.Add(new QwenMessage(QwenRole.System, _options.SystemPrompt));
            }

            messages.Add(new QwenMessage(QwenRole.User, text));
            WriteChat(customId, messages, mappingText, target);
        }

        private void AddMessages(string customId, BatchInput input)
        {
            if (_options.IsEmbeddings)
            {
                throw Invalid("An embeddings batch takes texts; request '" + customId + "' is a conversation (New-QwenChatRequest).", input.Target);
            }

            IReadOnlyList<QwenMessage> messages = input.Messages!;
            if (messages.Count == 0)
            {
                throw Invalid("Request '" + customId + "' has no messages.", input.Target);
            }

            foreach (QwenMessage message in messages)
            {
                if (message.Content != null)
                {
                    _writer.EnsureFits(message.Content, customId, input.Target);
                }
            }

            QwenMessage last = messages[messages.Count - 1];
            WriteChat(customId, messages, last.Content, input.Target);
        }

        private void AddBody(string customId, BatchInput input)
        {
            IReadOnlyDictionary<string, object?> body = input.Body!;
            if (_options.JsonOutput)
            {
                throw Invalid("Request '" + customId + "' is a ready body, which is sent as it is: -AsJson and -JsonSchema shape the requests Start-QwenBatch builds. Put response_format in the body instead.", input.Target);
            }

            string model = _options.Model;
            if (body.TryGetValue("model", out object? named) && named != null)
            {
                model = Convert.ToString(named, CultureInfo.InvariantCulture) ?? string.Empty;
                if (!string.Equals(model, _options.Model, StringComparison.Ordinal))
                {
                    throw new QwenException(
                        QwenErrorIds.BatchModelMismatch,
                        QwenErrorCategory.InvalidArgument,
                        "Request '" + customId + "' names model '" + model + "', but the batch is for '" + _options.Model + "' (-Model): DashScope takes one model per batch file.") { Target = input.Target };
                }
            }

            Write(customId, model, json =>
            {
                json.WriteStartObject();
                if (!body.ContainsKey("model"))
                {
                    json.WriteString("model", _options.Model);
                }

                foreach (KeyValuePair<string, object?> pair in body)
                {
                    json.WritePropertyName(pair.Key);
                    JsonValueWriter.Write(json, pair.Value, pair.Key);
                }

                json.WriteEndObject();
            }, BodyText(body), input.Target);
        }

        private void WriteChat(string customId, IReadOnlyList<QwenMessage> messages, string? mappingText, object? target)
        {
            if (_options.JsonOutput && _options.JsonSchema == null)
            {
                messages = StructuredOutput.EnsureJsonWord(messages, _ => JsonInstructionsAdded++);
            }

            var request = new ChatRequest(_options.Model, messages) { AdditionalParameters = _options.AdditionalParameters };
            foreach (KeyValuePair<ChatField, object> field in _options.Fields)
            {
                request[field.Key] = field.Value;
            }

            Write(customId, _options.Model, json => ChatRequestWriter.WriteBody(json, request), mappingText, target);
        }

        private void Write(string customId, string model, Action<Utf8JsonWriter> body, string? mappingText, object? target)
        {
            int position = _writer.LineCount;
            _writer.Add(customId, model, body, target);
            _mapping.Add(position, customId, mappingText);
        }

        private void WriteExtra(Utf8JsonWriter json, HashSet<string> written)
        {
            if (_options.AdditionalParameters == null)
            {
                return;
            }

            foreach (KeyValuePair<string, object?> pair in _options.AdditionalParameters)
            {
                if (!written.Contains(pair.Key))
                {
                    json.WritePropertyName(pair.Key);
                    JsonValueWriter.Write(json, pair.Value, pair.Key);
                }
            }
        }

        /// <summary>A document's text, read as Add-QwenDocument reads it (Documents/DocumentText: the byte order mark decides,
        /// else strict UTF-8; PDF, Office and binary files refused), once it is known to be small enough for a line.</summary>
        private string ReadDocument(string path, string customId, object? target)
        {
            // A UTF-16 file holds two bytes a character: beyond that its text cannot fit a line, so it is not read.
            var file = new FileInfo(path);
            if (file.Exists && file.Length > 2 * _options.Limits.MaxLineBytes)
            {
                throw new QwenException(
                    QwenErrorIds.BatchLimitExceeded,
                    QwenErrorCategory.LimitsExceeded,
                    "The document '" + path + "' (" + BatchJsonlWriter.Size(file.Length) + ") cannot fit the " + BatchJsonlWriter.Size(_options.Limits.MaxLineBytes) + " a batch line may hold.") { Target = target };
            }

            return RequireText(DocumentText.ReadFile(path, target), customId, target);
        }

        private static string RequireText(string? text, string customId, object? target)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw Invalid("Request '" + customId + "' has an empty prompt.", target);
            }

            return text!;
        }

        /// <summary>The mapping text of a ready body: its last message's text, or its embedding input.</summary>
        private static string? BodyText(IReadOnlyDictionary<string, object?> body)
        {
            if (body.TryGetValue("input", out object? input) && input is string text)
            {
                return text;
            }

            if (body.TryGetValue("messages", out object? messages) && messages is IList<object?> list && list.Count > 0
                && list[list.Count - 1] is IReadOnlyDictionary<string, object?> last && last.TryGetValue("content", out object? content))
            {
                return content as string;
            }

            return null;
        }

        private static QwenException Invalid(string message, object? target) =>
            new QwenException(QwenErrorIds.BatchInputInvalid, QwenErrorCategory.InvalidArgument, message) { Target = target };

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // A leftover temporary file is harmless; the temp folder is cleaned by the system.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
