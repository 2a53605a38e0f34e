using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using QwenPS.Chat;

namespace QwenPS.Batch
{
    /// <summary>
    /// Reads a batch's mapping file (<see cref="BatchMappingWriter"/>): custom id → input position, and the input text
    /// read again on demand, so only the ids and offsets are held in memory whatever the size of the inputs.
    /// </summary>
    internal sealed class BatchMapping : IDisposable
    {
        internal const string HeaderKey = "qwenps_batch_mapping";
        internal const int Version = 1;
        internal const string ResponseFormatKey = "response_format";

        private readonly FileStream _file;
        private readonly Dictionary<string, Entry> _entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        private readonly List<string> _order = new List<string>();

        private BatchMapping(string path, FileStream file)
        {
            Path = path;
            _file = file;
        }

        public string Path { get; }

        public string? Model { get; private set; }

        public string? Endpoint { get; private set; }

        public int Count => _order.Count;

        /// <summary>True when the requests asked for JSON (Start-QwenBatch -AsJson or -JsonSchema).</summary>
        public bool JsonOutput { get; private set; }

        /// <summary>The schema the answers must follow (-JsonSchema); null otherwise.</summary>
        public JsonSchemaSpec? JsonSchema { get; private set; }

        /// <summary>The custom ids in input order.</summary>
        public IReadOnlyList<string> CustomIds => _order;

        /// <summary>Opens and indexes a mapping file; null when it does not exist.</summary>
        public static BatchMapping? TryOpen(string path, CancellationToken cancellationToken)
        {
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return null;
            }

            var mapping = new BatchMapping(path, file);
            try
            {
                mapping.Load(cancellationToken);
                return mapping;
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException)
            {
                mapping.Dispose();
                throw mapping.Unreadable(ex.Message.TrimEnd('.'));
            }
            catch
            {
                mapping.Dispose();
                throw;
            }
        }

        /// <summary>The model named in a mapping file's header; null when the file cannot be read.</summary>
        public static string? ReadModel(string path)
        {
            try
            {
                using (var reader = new StreamReader(path, System.Text.Encoding.UTF8))
                using (JsonDocument header = JsonDocument.Parse(reader.ReadLine() ?? string.Empty))
                {
                    return header.RootElement.TryGetProperty("model", out JsonElement model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException)
            {
                return null;
            }
        }

        public bool TryGetIndex(string customId, out int index)
        {
            bool found = _entries.TryGetValue(customId, out Entry entry);
            index = entry.Index;
            return found;
        }

        /// <summary>The input text recorded for a request (null when none was).</summary>
        public string? ReadText(string customId)
        {
            if (!_entries.TryGetValue(customId, out Entry entry))
            {
                return null;
            }

            using (JsonDocument line = JsonDocument.Parse(JsonlLines.ReadAt(_file, entry.Offset, entry.Length)))
            {
                return line.RootElement.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
            }
        }

        public void Dispose() => _file.Dispose();

        private void Load(CancellationToken cancellationToken)
        {
            bool header = true;
            foreach (JsonlLine line in JsonlLines.Read(_file, cancellationToken))
            {
                using (JsonDocument document = JsonDocument.Parse(line.Bytes))
                {
                    JsonElement root = document.RootElement;
                    if (header)
                    {
                        header = false;
                        if (!root.TryGetProperty(HeaderKey, out _))
                        {
                            throw Unreadable("it has no QwenPS header");
                        }

                        Model = root.TryGetProperty("model", out JsonElement model) ? model.GetString() : null;
                        Endpoint = root.TryGetProperty("endpoint", out JsonElement endpoint) ? endpoint.GetString() : null;
                        ReadResponseFormat(root);
                        continue;
                    }

                    string id = root.GetProperty("id").GetString() ?? throw Unreadable("line " + line.Number + " has no id");
                    _entries[id] = new Entry(root.GetProperty("i").GetInt32(), line.Offset, line.Bytes.Length);
                    _order.Add(id);
                }
            }

            if (header)
            {
                throw Unreadable("it is empty");
            }
        }

        private void ReadResponseFormat(JsonElement header)
        {
            if (!header.TryGetProperty(ResponseFormatKey, out JsonElement format) || format.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            JsonOutput = true;
            if (format.TryGetProperty("json_schema", out JsonElement schema) && schema.ValueKind == JsonValueKind.Object)
            {
                try
                {
                    JsonSchema = JsonSchemaSpec.FromJson(schema.GetRawText(), "the mapping file's schema");
                }
                catch (QwenException error)
                {
                    throw Unreadable(error.Message.TrimEnd('.'));
                }
            }
        }

        private QwenException Unreadable(string why) =>
            new QwenException(QwenErrorIds.BatchMappingNotFound, QwenErrorCategory.ObjectNotFound, "The batch mapping file '" + Path + "' cannot be read: " + why + ".") { Target = Path };

        private readonly struct Entry
        {
            public Entry(int index, long offset, int length)
            {
                Index = index;
                Offset = offset;
                Length = length;
            }

            public int Index { get; }

            public long Offset { get; }

            public int Length { get; }
        }
    }
}
