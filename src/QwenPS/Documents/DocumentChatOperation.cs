using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Files;
using QwenPS.Output;
using QwenPS.Transport;

namespace QwenPS.Documents
{
    /// <summary>
    /// Invoke-QwenDocumentChat's behaviour: one independent conversation per document, <see cref="DocumentChatOptions.ThrottleLimit"/>
    /// at a time, each result written as it finishes. Every request goes through one <see cref="RequestGate"/> (the
    /// client's settings carry it), so uploads and file calls stay within the service's rates and a wait the service
    /// asks of one worker holds them all. Identical contents are uploaded once (SHA-256), and across commands the
    /// <see cref="FileIdIndex"/> remembers which file id holds which bytes. A failed document writes a non-terminating
    /// error and a result with the error; the others go on. Only the output (an <see cref="OutputPump"/>) is written to.
    /// </summary>
    internal sealed class DocumentChatOperation
    {
        internal const string Activity = "Invoke-QwenDocumentChat";

        private static int _nextActivityId = 5000;

        private readonly QwenClient _client;
        private readonly QwenTransport _transport;
        private readonly FilesApi _files;
        private readonly ChatApi _chat;
        private readonly DocumentChatOptions _options;
        private readonly FileIdIndex? _index;
        private readonly IQwenOutput _output;
        private readonly int _activityId = Interlocked.Increment(ref _nextActivityId);
        private readonly ConcurrentDictionary<string, Lazy<Task<PreparedFile>>> _byHash = new ConcurrentDictionary<string, Lazy<Task<PreparedFile>>>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<PreparedFile> _uploaded = new ConcurrentQueue<PreparedFile>();
        private readonly object _progressLock = new object();
        private int _total;
        private int _finished;
        private int _running;
        private int _failed;

        public DocumentChatOperation(QwenClient client, DocumentChatOptions options, FileIdIndex? index, IQwenOutput output)
        {
            _client = client;
            _transport = client.Transport;

            // Every request of the command passes one gate: the service's rates and pauses hold for all workers.
            client.Settings.Gate ??= new RequestGate();
            _files = new FilesApi(client.Transport);
            _chat = new ChatApi(client.Transport);
            _options = options;
            _index = options.NoReuse ? null : index;
            _output = output;
        }

        /// <summary>
        /// What the cmdlet runs: the file-id index of this account and region is loaded (unless -NoReuse) from the data
        /// folder <paramref name="environment"/> names, then every document is asked about. Returns how many failed.
        /// </summary>
        public static Task<int> AskAllAsync(QwenClient client, DocumentChatOptions options, IReadOnlyList<DocumentInput> documents, Func<string, string?> environment, IQwenOutput output, CancellationToken cancellationToken)
        {
            FileIdIndex? index = options.NoReuse ? null
                : FileIdIndex.Load(FileIdIndex.DataFolder(environment), client.Settings.BaseUri, client.Settings.ApiKey.Reveal(), client.Transport.Warning);
            return new DocumentChatOperation(client, options, index, output).RunAsync(documents, cancellationToken);
        }

        /// <summary>Documents that failed.</summary>
        public int Failed => Volatile.Read(ref _failed);

        /// <summary>Files this command uploaded (not reused ones), in the order their uploads finished.</summary>
        public IReadOnlyCollection<PreparedFile> Uploaded => _uploaded.ToArray();

        public async Task<int> RunAsync(IReadOnlyList<DocumentInput> documents, CancellationToken cancellationToken)
        {
            _total = documents.Count;
            int next = -1;
            int workers = Math.Max(1, Math.Min(_options.ThrottleLimit, documents.Count));
            _transport.Verbose(string.Format(CultureInfo.InvariantCulture, "{0} document(s), {1} at a time, {2}.", documents.Count, workers, _options.SendAs == QwenDocumentSendMode.Text ? "text files inline" : "by file id"));
            try
            {
                var tasks = new Task[workers];
                for (int w = 0; w < workers; w++)
                {
                    tasks[w] = Task.Run(
                        async () =>
                        {
                            int i;
                            while ((i = Interlocked.Increment(ref next)) < documents.Count && !cancellationToken.IsCancellationRequested)
                            {
                                await AnswerOneAsync(documents[i], cancellationToken).ConfigureAwait(false);
                            }
                        },
                        cancellationToken);
                }

                await Task.WhenAll(tasks).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (_options.RemoveAfter)
                {
                    await RemoveUploadedAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                // Also after a stop: the uploads that finished are remembered, so a rerun does not repeat them.
                _index?.Save(_transport.Warning);
                _output.WriteProgress(new QwenProgress(_activityId, Activity, Status(), 100, completed: true));
            }

            return _failed;
        }

        private async Task AnswerOneAsync(DocumentInput document, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _running);
            ReportProgress();
            QwenDocumentAnswer answer;
            try
            {
                answer = await AskAsync(document, cancellationToken).ConfigureAwait(false);
            }
            catch (QwenException error) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
                error.Target = document.Target;
                _output.WriteError(error);
                answer = new QwenDocumentAnswer(document.Display, document.Name, null, false, null, null, null, null, error.RequestId, error.Message, error.ErrorId);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }

            _output.WriteObject(answer);
            Interlocked.Increment(ref _finished);
            ReportProgress();
        }

        private async Task<QwenDocumentAnswer> AskAsync(DocumentInput document, CancellationToken cancellationToken)
        {
            QwenMessage documentMessage;
            PreparedFile? file = null;
            string? inline = _options.SendAs == QwenDocumentSendMode.Text && document.LocalPath != null ? ReadInline(document.LocalPath) : null;
            if (inline != null)
            {
                documentMessage = new QwenMessage(QwenRole.System, inline);
            }
            else
            {
                file = await PrepareFileAsync(document, cancellationToken).ConfigureAwait(false);
                documentMessage = new QwenMessage(QwenRole.System, QwenMessage.FileReferencePrefix + file.Id);
            }

            var messages = new[]
            {
                new QwenMessage(QwenRole.System, _options.SystemPrompt),
                documentMessage,
                new QwenMessage(QwenRole.User, _options.Prompt),
            };
            QwenChatResponse response = await ChatAsync(messages, file, cancellationToken).ConfigureAwait(false);
            return new QwenDocumentAnswer(document.Display, document.Name, file?.Id, file?.Reused ?? false, response.Content, response.Reasoning, response.Usage, response.Model, response.RequestId, null, null);
        }

        /// <summary>-As Text: a text file's content, or null to send it by file id (a PDF, an image…).</summary>
        private string? ReadInline(string path)
        {
            try
            {
                string text = DocumentText.ReadFile(path);
                string? warning = DocumentText.InlineWarning(Path.GetFileName(path), text);
                if (warning != null)
                {
                    _transport.Warning(warning);
                }

                return text;
            }
            catch (QwenException error) when (error.ErrorId == QwenErrorIds.DocumentNotText)
            {
                _transport.Verbose(Path.GetFileName(path) + " is not a text file: sending it by file id.");
                return null;
            }
        }

        /// <summary>The processed file that holds this document: reused, uploaded, or as given.</summary>
        private async Task<PreparedFile> PrepareFileAsync(DocumentInput document, CancellationToken cancellationToken)
        {
            if (document.FileId != null)
            {
                return new PreparedFile(document.FileId, null, reused: false, knownProcessed: false);
            }

            if (document.StoredFile != null)
            {
                QwenFileInfo stored = FileReferenceSource.Stored(document.StoredFile).StoredFile!;
                QwenFileInfo ready = FilesApi.IsProcessed(stored.Status) ? stored : await _files.WaitForFileAsync(stored, _options.ProcessingTimeout, cancellationToken).ConfigureAwait(false);
                return new PreparedFile(ready.Id, ready.FileName, reused: false, knownProcessed: true);
            }

            string path = document.LocalPath!;
            FileUploadRules.Check(path, FilePurposes.FileExtract);
            string hash = Hash(path);

            // Identical contents in this command share one upload and one wait; the first to ask does them.
            Lazy<Task<PreparedFile>> shared = _byHash.GetOrAdd(hash, key => new Lazy<Task<PreparedFile>>(() => UploadOrReuseAsync(path, key, cancellationToken)));
            PreparedFile file = await shared.Value.ConfigureAwait(false);
            if (!string.Equals(file.LocalPath, path, StringComparison.Ordinal))
            {
                _transport.Verbose("'" + Path.GetFileName(path) + "' has the same content as '" + Path.GetFileName(file.LocalPath ?? file.Id) + "': using " + file.Id + ".");
            }

            return file;
        }

        private async Task<PreparedFile> UploadOrReuseAsync(string path, string hash, CancellationToken cancellationToken)
        {
            string name = Path.GetFileName(path);
            FileIdEntry? known = _index?.Find(hash);
            if (known != null)
            {
                QwenFileInfo? stored = await StillThereAsync(known.Id, cancellationToken).ConfigureAwait(false);
                if (stored != null)
                {
                    _transport.Verbose("Reusing " + stored.Id + " for '" + name + "': uploaded before with the same SHA-256.");
                    QwenFileInfo ready = await _files.WaitForFileAsync(stored, _options.ProcessingTimeout, cancellationToken).ConfigureAwait(false);
                    return new PreparedFile(ready.Id, path, reused: true, knownProcessed: true);
                }

                _transport.Verbose("The index named " + known.Id + " for '" + name + "', but it is gone or unusable: uploading again.");
                _index!.Forget(hash);
            }

            QwenFileInfo uploaded = await _files.UploadFileAsync(path, FilePurposes.FileExtract, cancellationToken).ConfigureAwait(false);
            var prepared = new PreparedFile(uploaded.Id, path, reused: false, knownProcessed: false);
            _uploaded.Enqueue(prepared);
            if (!_options.RemoveAfter)
            {
                _index?.Record(hash, new FileIdEntry(uploaded.Id, uploaded.Bytes, name, DateTimeOffset.UtcNow));
            }

            try
            {
                QwenFileInfo processed = await _files.WaitForFileAsync(uploaded, _options.ProcessingTimeout, cancellationToken).ConfigureAwait(false);
                return new PreparedFile(processed.Id, path, reused: false, knownProcessed: true);
            }
            catch (QwenException error) when (error.ErrorId == QwenErrorIds.FileProcessingFailed)
            {
                // The service cannot read these bytes: do not offer the id to a later run.
                _index?.Forget(hash);
                throw;
            }
        }

        /// <summary>The stored file behind an index entry, or null when it is gone, for another purpose, or failed.</summary>
        private async Task<QwenFileInfo?> StillThereAsync(string fileId, CancellationToken cancellationToken)
        {
            try
            {
                QwenFileInfo file = await _files.GetFileAsync(fileId, cancellationToken).ConfigureAwait(false);
                bool usable = (file.Purpose == null || file.Purpose == FilePurposes.FileExtract)
                    && (FilesApi.IsProcessed(file.Status) || FilesApi.IsProcessing(file.Status));
                return usable ? file : null;
            }
            catch (QwenException error) when (error.ErrorId == QwenErrorIds.NotFound)
            {
                return null;
            }
        }

        /// <summary>
        /// The chat call. "File parsing in progress" (the service has not caught up with a file, or a bare id is still
        /// processing) is waited out: poll the file, then ask again, within the processing timeout.
        /// </summary>
        private async Task<QwenChatResponse> ChatAsync(IReadOnlyList<QwenMessage> messages, PreparedFile? file, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            int attempt = 0;
            while (true)
            {
                try
                {
                    return await _chat.ChatAsync(_options.BuildRequest(messages, _ => { }), null, cancellationToken).ConfigureAwait(false);
                }
                catch (QwenException error) when (file != null && IsParsingInProgress(error) && clock.Elapsed < _options.ProcessingTimeout)
                {
                    attempt++;
                    _transport.Verbose(file.Id + " is still being parsed: waiting before asking again.");
                    var pending = new QwenFileInfo(file.Id, file.LocalPath, 0, FilePurposes.FileExtract, "processing", null, null);
                    await _files.WaitForFileAsync(pending, _options.ProcessingTimeout - clock.Elapsed, cancellationToken).ConfigureAwait(false);
                    if (file.KnownProcessed || attempt > 1)
                    {
                        // The file already said processed: give the service a moment before the next try.
                        await _transport.Settings.Delay(_transport.Settings.PollInterval(attempt), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        internal static bool IsParsingInProgress(QwenException error) =>
            error.ErrorId == QwenErrorIds.InvalidParameter && error.Category == QwenErrorCategory.ResourceUnavailable;

        private async Task RemoveUploadedAsync(CancellationToken cancellationToken)
        {
            foreach (PreparedFile file in _uploaded)
            {
                try
                {
                    await _files.DeleteFileAsync(file.Id, cancellationToken).ConfigureAwait(false);
                }
                catch (QwenException error) when (!cancellationToken.IsCancellationRequested)
                {
                    error.Target = file.Id;
                    _output.WriteError(error);
                }
            }
        }

        private static string Hash(string path)
        {
            try
            {
                return FileIdIndex.Sha256OfFile(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new QwenException(QwenErrorIds.FileReadFailed, QwenErrorCategory.ReadError, "Could not read '" + path + "': " + ex.Message, ex) { Target = path };
            }
        }

        private void ReportProgress()
        {
            lock (_progressLock)
            {
                int finished = Volatile.Read(ref _finished);
                _output.WriteProgress(new QwenProgress(_activityId, Activity, Status(), _total == 0 ? 100 : finished * 100 / _total, completed: false));
            }
        }

        private string Status() => string.Format(
            CultureInfo.InvariantCulture,
            "{0} of {1} documents, {2} running, {3} failed",
            Volatile.Read(ref _finished),
            _total,
            Volatile.Read(ref _running),
            Volatile.Read(ref _failed));
    }
}
