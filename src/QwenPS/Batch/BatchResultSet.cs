using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using QwenPS.Catalog;
using QwenPS.Chat;
using QwenPS.Engine;

namespace QwenPS.Batch
{
    /// <summary>
    /// The downloaded result files of one batch, read back as <see cref="QwenBatchResult"/>s one line at a time: in the
    /// service's order, or (with the mapping) in input order through an index of line offsets, so that neither way holds
    /// more than one result and the ids in memory. Each result is joined to its input by custom id: the original object
    /// when this session started the batch, else the text the mapping file recorded. With a mapping, the requests that
    /// have no line come last (or in their place) as NotProcessed. Each usage is priced at the batch price and added to the
    /// runspace's usage sums once, and a JSON batch's answer is parsed into Value (<see cref="BatchReceiveOptions"/>). Disposing it deletes the downloaded files.
    /// </summary>
    internal sealed class BatchResultSet : IDisposable
    {
        private readonly QwenBatch _batch;
        private readonly IReadOnlyList<KeyValuePair<string, string>> _files;
        private readonly BatchMapping? _mapping;
        private readonly IReadOnlyList<object?>? _inputs;
        private readonly BatchReceiveOptions _options;
        private readonly bool _deleteFiles;

        /// <summary>The files are deleted on Dispose unless <c>deleteFiles</c> is false (a benchmark's input is not a download).</summary>
        public BatchResultSet(QwenBatch batch, IReadOnlyList<KeyValuePair<string, string>> files, BatchMapping? mapping, IReadOnlyList<object?>? inputs,
            BatchReceiveOptions? options = null, bool deleteFiles = true)
        {
            _batch = batch;
            _files = files;
            _mapping = mapping;
            _inputs = inputs;
            _options = options ?? new BatchReceiveOptions();
            _deleteFiles = deleteFiles;
        }

        public IEnumerable<QwenBatchResult> Read(bool inInputOrder, CancellationToken cancellationToken) =>
            inInputOrder && _mapping != null ? InInputOrder(_mapping, cancellationToken) : InServiceOrder(cancellationToken);

        public void Dispose()
        {
            _mapping?.Dispose();
            if (!_deleteFiles)
            {
                return;
            }

            foreach (KeyValuePair<string, string> file in _files)
            {
                TryDelete(file.Value);
            }
        }

        internal static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // A leftover temporary file is harmless.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private IEnumerable<QwenBatchResult> InServiceOrder(CancellationToken cancellationToken)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> file in _files)
            {
                using (var stream = Open(file.Value))
                {
                    foreach (BatchResultLine line in BatchResultReader.Read(stream, cancellationToken))
                    {
                        QwenBatchResult result = Join(BatchResultConverter.Convert(_batch.Id, line, file.Key));
                        seen.Add(result.CustomId);
                        yield return result;
                    }
                }
            }

            if (_mapping == null)
            {
                yield break;
            }

            foreach (string customId in _mapping.CustomIds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!seen.Contains(customId))
                {
                    yield return Join(BatchResultConverter.NotProcessed(_batch, customId));
                }
            }
        }

        private IEnumerable<QwenBatchResult> InInputOrder(BatchMapping mapping, CancellationToken cancellationToken)
        {
            var index = new Dictionary<string, Location>(StringComparer.Ordinal);
            var strays = new List<Location>();
            var streams = new List<FileStream>();
            try
            {
                for (int f = 0; f < _files.Count; f++)
                {
                    FileStream stream = Open(_files[f].Value);
                    streams.Add(stream);
                    foreach ((string? customId, long offset, int length, int number) in BatchResultReader.Index(stream, cancellationToken))
                    {
                        var location = new Location(f, offset, length, number);
                        if (customId == null || !mapping.TryGetIndex(customId, out _) || index.ContainsKey(customId))
                        {
                            strays.Add(location);
                        }
                        else
                        {
                            index[customId] = location;
                        }
                    }
                }

                foreach (string customId in mapping.CustomIds)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return index.TryGetValue(customId, out Location location)
                        ? Join(ReadAt(streams, location))
                        : Join(BatchResultConverter.NotProcessed(_batch, customId));
                }

                // Lines the mapping does not know (unreadable ones, a second line for an id): never dropped.
                foreach (Location stray in strays)
                {
                    yield return Join(ReadAt(streams, stray));
                }
            }
            finally
            {
                foreach (FileStream stream in streams)
                {
                    stream.Dispose();
                }
            }
        }

        private QwenBatchResult ReadAt(List<FileStream> streams, Location location) =>
            BatchResultConverter.Convert(_batch.Id, BatchResultReader.ReadAt(streams[location.File], location.Offset, location.Length, location.Number), _files[location.File].Key);

        /// <summary>
        /// Adds the input position and the input (the session's object, else the mapping's text), prices the usage at the
        /// batch price, and adds it to the usage sums unless this runspace counted the result before.
        /// </summary>
        private QwenBatchResult Join(QwenBatchResult result)
        {
            if (_mapping != null && _mapping.TryGetIndex(result.CustomId, out int position))
            {
                result.Index = position;
                result.Input = _inputs != null && position < _inputs.Count ? _inputs[position] : _mapping.ReadText(result.CustomId);
            }

            if (result.Usage != null)
            {
                string? model = result.Model ?? _batch.Model ?? _mapping?.Model;
                UsagePricing.Price(result.Usage, model, _options.Region, batch: true);
                UsageOperations.RecordBatchResult(_options.Scope, model, _batch.Id, result.CustomId, result.Usage);
            }

            if ((_options.AsObject || _mapping?.JsonOutput == true) && result.StatusValue == QwenBatchResultStatus.Succeeded && result.Embeddings == null)
            {
                ReadJson(result);
            }

            return result;
        }

        /// <summary>
        /// A JSON batch's answer as <see cref="QwenBatchResult.Value"/>; one that is not usable (not JSON, cut at the token
        /// limit, off the schema; docs/dashscope-notes.md, "Structured output") fails the result, which keeps its text and
        /// its (billed) usage.
        /// </summary>
        private void ReadJson(QwenBatchResult result)
        {
            string? problem = JsonAnswerCheck.Problem(result.Content, result.FinishReason, _mapping?.JsonSchema, out JsonElement value);
            if (problem != null)
            {
                result.StatusValue = QwenBatchResultStatus.Failed;
                result.Error = problem;
                result.ErrorCode = BatchResultConverter.JsonAnswerInvalidCode;
                return;
            }

            result.Value = _options.ToValue(value);
        }

        private static FileStream Open(string path) => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);

        private readonly struct Location
        {
            public Location(int file, long offset, int length, int number)
            {
                File = file;
                Offset = offset;
                Length = length;
                Number = number;
            }

            public int File { get; }

            public long Offset { get; }

            public int Length { get; }

            public int Number { get; }
        }
    }
}
