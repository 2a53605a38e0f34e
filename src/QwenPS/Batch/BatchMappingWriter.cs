using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using QwenPS.Engine;
using QwenPS.Transport;

namespace QwenPS.Batch
{
    /// <summary>
    /// Writes the mapping file of a batch as its input is written: a header line (model, endpoint, time, and the
    /// response_format of a JSON batch), then one line per request
    /// <c>{"i":position,"id":custom id,"text":input text}</c>. It is written under a pending name and renamed after
    /// the batch id once the service has accepted the batch (<see cref="Commit"/>); otherwise it is deleted.
    /// </summary>
    internal sealed class BatchMappingWriter : IDisposable
    {
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private readonly string _folder;
        private readonly FileStream _file;
        private readonly Utf8JsonWriter _json;
        private bool _committed;

        public BatchMappingWriter(string folder, string model, string endpoint, IDictionary<string, object?>? responseFormat = null)
        {
            _folder = folder;
            // It holds the input texts: owner-only on Unix, in an owner-only folder (Engine/PrivateFiles says why on Windows).
            PrivateFiles.CreateFolder(folder);
            PendingPath = Path.Combine(folder, BatchDataFolder.PendingPrefix + Guid.NewGuid().ToString("N") + ".jsonl");
            _file = PrivateFiles.CreateNew(PendingPath, FileShare.Read, 64 * 1024);
            _json = new Utf8JsonWriter(_file, WriterOptions);
            _json.WriteStartObject();
            _json.WriteNumber(BatchMapping.HeaderKey, BatchMapping.Version);
            _json.WriteString("model", model);
            _json.WriteString("endpoint", endpoint);
            _json.WriteString("created", DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
            if (responseFormat != null)
            {
                // The requests asked for JSON: Receive-QwenBatch reads (and checks) the answers as JSON in any session.
                _json.WritePropertyName(BatchMapping.ResponseFormatKey);
                JsonValueWriter.Write(_json, responseFormat, BatchMapping.ResponseFormatKey);
            }

            _json.WriteEndObject();
            EndLine();
        }

        public string PendingPath { get; }

        public void Add(int index, string customId, string? text)
        {
            _json.WriteStartObject();
            _json.WriteNumber("i", index);
            _json.WriteString("id", customId);
            if (text != null)
            {
                _json.WriteString("text", text);
            }

            _json.WriteEndObject();
            EndLine();
        }

        /// <summary>Closes the file and names it after the batch; returns its path.</summary>
        public string Commit(string batchId)
        {
            string path = BatchDataFolder.MappingPath(_folder, batchId)
                ?? throw new QwenException(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.ProtocolError, "The service returned a batch id that is not a safe file name: " + batchId) { Target = batchId };
            Close();
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            File.Move(PendingPath, path);
            _committed = true;
            return path;
        }

        /// <summary>Deletes the pending file unless it was committed.</summary>
        public void Dispose()
        {
            Close();
            if (!_committed)
            {
                try
                {
                    File.Delete(PendingPath);
                }
                catch (IOException)
                {
                    // A leftover pending file is harmless: nothing reads pending-* files.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        private void EndLine()
        {
            _json.Flush();
            _json.Reset();
            _file.WriteByte((byte)'\n');
        }

        private void Close()
        {
            _json.Dispose();
            _file.Dispose();
        }
    }
}
