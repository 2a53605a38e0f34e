using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Files.Wire;
using QwenPS.Output;
using QwenPS.Transport;

namespace QwenPS.Files
{
    /// <summary>
    /// The <c>/files</c> endpoint: multipart upload, retrieve, list (following pages), delete, wait until processed,
    /// and download a file's content into a sink. It owns the Files wire parsing; retries, timeouts, error bodies
    /// and redaction are the transport's.
    /// </summary>
    internal sealed class FilesApi
    {
        private static int _nextActivityId = 100;

        private readonly QwenTransport _transport;
        private readonly TransportSettings _settings;

        public FilesApi(QwenTransport transport)
        {
            _transport = transport;
            _settings = transport.Settings;
        }

        /// <summary>
        /// Uploads one file as multipart/form-data, streamed from disk (never read whole into memory), with
        /// progress. The file is checked first (<see cref="FileUploadRules"/>, which knows each purpose's rules); each
        /// retry reopens it.
        /// </summary>
        public async Task<QwenFileInfo> UploadFileAsync(string path, string purpose, CancellationToken cancellationToken)
        {
            long length = FileUploadRules.Check(path, purpose);
            string name = Path.GetFileName(path);
            int activityId = Interlocked.Increment(ref _nextActivityId);
            string activity = "Uploading " + name;
            var throttle = Stopwatch.StartNew();
            TimeSpan? lastReport = null;

            void Report(long sent)
            {
                // The first and the last read are always reported, others at most once per interval. (Not
                // TimeSpan.MinValue as "never": now - MinValue overflows, which failed every upload bigger than one read.)
                TimeSpan now = throttle.Elapsed;
                if (sent < length && lastReport.HasValue && now - lastReport.Value < _settings.ProgressInterval)
                {
                    return;
                }

                lastReport = now;
                // At most 100: a file that grows while it is sent must not make PowerShell refuse the progress record.
                int percent = (int)Math.Min(100, sent * 100 / Math.Max(1, length));
                _settings.Output.WriteProgress(new QwenProgress(
                    activityId,
                    activity,
                    string.Format(CultureInfo.InvariantCulture, "{0:0.0} of {1:0.0} MB", sent / 1048576.0, length / 1048576.0),
                    percent,
                    completed: false));
            }

            HttpRequestMessage Create()
            {
                FileStream file = OpenForUpload(path);
                var fileContent = new StreamContent(new ProgressStream(file, Report), 81920);
                fileContent.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                fileContent.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
                {
                    Name = "\"file\"",
                    FileName = "\"" + FileUploadRules.AsciiFileName(name) + "\"",
                    FileNameStar = name,
                };
                var form = new MultipartFormDataContent("QwenPS-" + Guid.NewGuid().ToString("N"));
                form.Add(new StringContent(purpose), "\"purpose\"");
                form.Add(fileContent);
                return new HttpRequestMessage(HttpMethod.Post, _transport.Endpoint("/files")) { Content = form };
            }

            _transport.Verbose(string.Format(CultureInfo.InvariantCulture, "Uploading '{0}' ({1} bytes) with purpose {2}.", path, length, purpose));
            try
            {
                using (HttpResponseMessage response = await _transport.SendAsync(Create, path, cancellationToken).ConfigureAwait(false))
                {
                    WireFile file = await _transport.ReadJsonAsync(response, FilesJsonContext.Default.WireFile, path, cancellationToken).ConfigureAwait(false);
                    QwenFileInfo info = ToFileInfo(file, path);
                    _transport.Verbose("Uploaded '" + name + "' as " + info.Id + " (status " + info.Status + ").");
                    return info;
                }
            }
            finally
            {
                _settings.Output.WriteProgress(new QwenProgress(activityId, activity, "Done", 100, completed: true));
            }
        }

        /// <summary>Opens the file for one attempt; a file that vanished or cannot be read since the checks is a clear error.</summary>
        private static FileStream OpenForUpload(string path)
        {
            try
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "The file '" + path + "' does not exist.", ex) { Target = path };
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new QwenException(QwenErrorIds.FileReadFailed, QwenErrorCategory.ReadError, "Could not open '" + path + "' to upload it: " + ex.Message, ex) { Target = path };
            }
        }

        public async Task<QwenFileInfo> GetFileAsync(string fileId, CancellationToken cancellationToken)
        {
            Uri uri = FileUri(fileId, null);
            using (HttpResponseMessage response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), fileId, cancellationToken).ConfigureAwait(false))
            {
                return ToFileInfo(await _transport.ReadJsonAsync(response, FilesJsonContext.Default.WireFile, fileId, cancellationToken).ConfigureAwait(false), fileId);
            }
        }

        /// <summary>
        /// Streams a stored file's content (<c>GET /files/{id}/content</c>; DashScope serves it only for result files)
        /// into <paramref name="sink"/>, never holding it whole in memory. Returns the number of bytes written.
        /// </summary>
        public async Task<long> DownloadContentAsync(string fileId, Stream sink, CancellationToken cancellationToken)
        {
            Uri uri = FileUri(fileId, "/content");
            using (HttpResponseMessage response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), fileId, cancellationToken).ConfigureAwait(false))
            {
                long bytes = await _transport.CopyBodyToAsync(response, sink, MaxDownloadBytes, fileId, cancellationToken).ConfigureAwait(false);
                _transport.Verbose("Downloaded " + bytes + " byte(s) of " + fileId + ".");
                return bytes;
            }
        }

        /// <summary>The largest content a download accepts: a batch result file (2 GB is far above DashScope's limits).</summary>
        internal const long MaxDownloadBytes = 2L * 1024 * 1024 * 1024;

        private Uri FileUri(string fileId, string? suffix) => _transport.Endpoint("/files/" + Uri.EscapeDataString(fileId) + suffix);

        /// <summary>Lists files, following <c>has_more</c> pages; <paramref name="onFile"/> gets each as it is read.</summary>
        public Task ListFilesAsync(string? purpose, int pageSize, Action<QwenFileInfo> onFile, CancellationToken cancellationToken) =>
            ListFilesAsync(new FileListQuery { Purpose = purpose, PageSize = pageSize }, file =>
            {
                onFile(file);
                return true;
            }, cancellationToken);

        /// <summary>
        /// Lists the files <paramref name="query"/> asks for, page after page (<c>after</c> = the last id of the previous
        /// page); <paramref name="onFile"/> gets each match as its page arrives and returns false to stop, so no further
        /// page is requested. A listing that says <c>has_more</c> but hands back a cursor seen before, or runs past
        /// <see cref="TransportSettings.MaxListPages"/> pages, ends with UnexpectedResponse after the files already
        /// written: a buggy service or gateway would otherwise be paged forever (19,112 requests in 15 s were seen).
        /// </summary>
        public async Task ListFilesAsync(FileListQuery query, Func<QwenFileInfo, bool> onFile, CancellationToken cancellationToken)
        {
            string? cursor = query.After;
            var cursors = new HashSet<string>(StringComparer.Ordinal);
            for (int page = 1; ; page++)
            {
                if (page > _settings.MaxListPages)
                {
                    throw new QwenException(
                        QwenErrorIds.UnexpectedResponse,
                        QwenErrorCategory.InvalidResult,
                        "Stopped listing after " + _settings.MaxListPages + " pages: the service still says there are more. The files so far were written.") { Target = "files" };
                }

                Uri uri = new Uri(_transport.Endpoint("/files").AbsoluteUri + "?" + query.QueryString(cursor));
                WireFileList list;
                using (HttpResponseMessage response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), "files", cancellationToken).ConfigureAwait(false))
                {
                    list = await _transport.ReadJsonAsync(response, FilesJsonContext.Default.WireFileList, "files", cancellationToken).ConfigureAwait(false);
                }

                var infos = new List<QwenFileInfo>();
                foreach (WireFile file in list.Data ?? new List<WireFile>())
                {
                    infos.Add(ToFileInfo(file, "files"));
                }

                // A page that ends where an earlier one did is that page again: stop before writing its files twice.
                string? last = infos.Count > 0 ? infos[infos.Count - 1].Id : null;
                if (list.HasMore && last != null && (last == cursor || cursors.Contains(last)))
                {
                    throw new QwenException(
                        QwenErrorIds.UnexpectedResponse,
                        QwenErrorCategory.InvalidResult,
                        "The service says there are more files but sent page " + page + " ending at " + last + " again; stopped listing. The files so far were written.") { Target = "files" };
                }

                foreach (QwenFileInfo info in infos)
                {
                    if (query.Matches(info) && !onFile(info))
                    {
                        return;
                    }
                }

                if (!list.HasMore || last == null)
                {
                    return;
                }

                cursors.Add(last);
                cursor = last;
            }
        }

        public async Task DeleteFileAsync(string fileId, CancellationToken cancellationToken)
        {
            Uri uri = FileUri(fileId, null);
            using (HttpResponseMessage response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, uri), fileId, cancellationToken).ConfigureAwait(false))
            {
                WireDeleteResult result = await _transport.ReadJsonAsync(response, FilesJsonContext.Default.WireDeleteResult, fileId, cancellationToken).ConfigureAwait(false);
                if (!result.Deleted)
                {
                    throw new QwenException(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.InvalidResult, "The service did not confirm that " + fileId + " was deleted.") { Target = fileId };
                }

                _transport.Verbose("Deleted " + fileId + ".");
            }
        }

        /// <summary>
        /// Polls a file until its status is <c>processed</c> (first poll at once, then backing off), for at most
        /// <paramref name="timeout"/>. An error status or the timeout ends in a clear error naming the file.
        /// </summary>
        public async Task<QwenFileInfo> WaitForFileAsync(QwenFileInfo file, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            int activityId = Interlocked.Increment(ref _nextActivityId);
            string activity = "Waiting for " + (file.FileName ?? file.Id) + " to be processed";
            QwenFileInfo current = file;
            int poll = 0;

            // The timeout bounds the polls themselves too: a status request that hangs (each may wait up to
            // -IdleTimeoutSec, with retries) must not stretch -ProcessingTimeoutSec.
            var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                budget.CancelAfter(timeout);
                while (true)
                {
                    if (IsProcessed(current.Status))
                    {
                        _transport.Verbose(current.Id + " is processed.");
                        return current;
                    }

                    if (!IsProcessing(current.Status))
                    {
                        throw ProcessingFailed(current);
                    }

                    poll++;
                    TimeSpan wait = poll == 1 ? TimeSpan.Zero : _settings.PollInterval(poll - 1);

                    // A wait that would end past the budget is shortened to leave room for one last status request,
                    // so the command gives up at -ProcessingTimeoutSec, not a whole interval early (3 s gave up at 1.5 s).
                    TimeSpan lastPoll = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(250).Ticks, timeout.Ticks / 10));
                    TimeSpan latest = timeout - clock.Elapsed - lastPoll;
                    if (wait > latest)
                    {
                        if (latest <= TimeSpan.Zero)
                        {
                            throw ProcessingTimeout(current, clock.Elapsed, timeout);
                        }

                        wait = latest;
                    }

                    _settings.Output.WriteProgress(new QwenProgress(activityId, activity, "Status: " + (current.Status ?? "unknown") + ", " + QwenTransport.Seconds(clock.Elapsed), -1, completed: false));
                    try
                    {
                        if (wait > TimeSpan.Zero)
                        {
                            await _settings.Delay(wait, budget.Token).ConfigureAwait(false);
                        }

                        current = await GetFileAsync(current.Id, budget.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw ProcessingTimeout(current, clock.Elapsed, timeout);
                    }

                    _transport.Verbose(current.Id + " status: " + current.Status + ".");
                }
            }
            finally
            {
                budget.Dispose();
                _settings.Output.WriteProgress(new QwenProgress(activityId, activity, "Done", 100, completed: true));
            }
        }

        private static QwenException ProcessingTimeout(QwenFileInfo file, TimeSpan elapsed, TimeSpan timeout) =>
            new QwenException(
                QwenErrorIds.FileProcessingTimeout,
                QwenErrorCategory.OperationTimeout,
                "DashScope was still processing " + file.Id + " after " + QwenTransport.Seconds(elapsed) + " (-ProcessingTimeoutSec " + timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "). " +
                "The file stays stored: reference it later with Add-QwenFileReference -FileId " + file.Id + ", or remove it with Remove-QwenFile -FileId " + file.Id + ".") { Target = file.Id };

        /// <summary>The service ended processing with an error status: the file can never be referenced.</summary>
        internal static QwenException ProcessingFailed(QwenFileInfo file) =>
            new QwenException(
                QwenErrorIds.FileProcessingFailed,
                QwenErrorCategory.InvalidData,
                "DashScope could not process " + file.Id + " (" + (file.FileName ?? "file") + "): status '" + file.Status + "'" +
                (string.IsNullOrEmpty(file.StatusDetails) ? "." : ", " + file.StatusDetails)) { Target = file.Id };

        internal static bool IsProcessed(string? status) => string.Equals(status, "processed", StringComparison.OrdinalIgnoreCase);

        /// <summary>Still being processed, or not known yet (no status): worth polling.</summary>
        internal static bool IsProcessing(string? status) =>
            status == null
            || string.Equals(status, "processing", StringComparison.OrdinalIgnoreCase)
            || string.Equals(status, "uploaded", StringComparison.OrdinalIgnoreCase)
            || string.Equals(status, "pending", StringComparison.OrdinalIgnoreCase);

        private static QwenFileInfo ToFileInfo(WireFile file, object target)
        {
            if (string.IsNullOrEmpty(file.Id))
            {
                throw new QwenException(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.ProtocolError, "The service returned a file object without an id.") { Target = target };
            }

            string? details = null;
            if (file.StatusDetails.HasValue)
            {
                JsonElement element = file.StatusDetails.Value;
                details = element.ValueKind == JsonValueKind.String ? element.GetString()
                    : element.ValueKind == JsonValueKind.Null || element.ValueKind == JsonValueKind.Undefined ? null
                    : element.GetRawText();
            }

            return new QwenFileInfo(
                file.Id!,
                file.Filename,
                file.Bytes,
                file.Purpose,
                file.Status,
                details,
                UnixTime.FromSeconds(file.CreatedAt));
        }
    }
}
