using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Engine;
using QwenPS.Files;
using QwenPS.Output;
using QwenPS.Transport;

namespace QwenPS.Batch
{
    /// <summary>The batch cmdlets' behaviour over a client: start (upload, create), get, list, cancel, wait, download.</summary>
    internal static class BatchOperations
    {
        /// <summary>The largest page DashScope lists (docs/dashscope-notes.md, "Batch").</summary>
        public const int MaxPageSize = 100;

        /// <summary>The service asks for polls no faster than once a minute, with back-off (docs/dashscope-notes.md).</summary>
        public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMinutes(1);

        /// <summary>The longest pause between two polls once the back-off has grown.</summary>
        public static readonly TimeSpan MaxPollInterval = TimeSpan.FromMinutes(10);

        public const double BackOff = 1.5;

        private static int _nextActivityId = 300;

        /// <summary>Uploads the request file (purpose batch), creates the batch, names the mapping file after it, and deletes the
        /// mapping files too old to be of use (<see cref="BatchDataFolder.Prune"/>).</summary>
        public static async Task<QwenBatch> StartAsync(QwenClient client, BatchInputBuilder build, BatchBuildOptions options, string completionWindow,
            IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
        {
            var files = new FilesApi(client.Transport);
            QwenFileInfo file = await files.UploadFileAsync(build.RequestFile, FilePurposes.Batch, cancellationToken).ConfigureAwait(false);
            QwenBatch batch;
            try
            {
                batch = await new BatchesApi(client.Transport).CreateAsync(file.Id, options.ServiceEndpoint, completionWindow, metadata, cancellationToken).ConfigureAwait(false);
            }
            catch (QwenException error)
            {
                // No batch, so the uploaded input would only take up the account's storage: remove it, if the service lets us.
                client.Transport.Verbose("The batch was not created (" + error.ErrorId + "); deleting the uploaded input " + file.Id + ".");
                try
                {
                    await files.DeleteFileAsync(file.Id, CancellationToken.None).ConfigureAwait(false);
                }
                catch (QwenException)
                {
                    client.Transport.Warning("The batch was not created, and its uploaded input " + file.Id + " could not be deleted: Remove-QwenFile -FileId " + file.Id + " deletes it.");
                }

                throw;
            }

            batch.Model = options.Model;
            batch.MappingPath = build.Commit(batch.Id);
            int pruned = BatchDataFolder.Prune(options.MappingFolder, DateTime.UtcNow);
            if (pruned > 0)
            {
                client.Transport.Verbose("Deleted " + pruned.ToString(CultureInfo.InvariantCulture) + " batch mapping file(s) older than "
                    + BatchDataFolder.MaxMappingAge.TotalDays.ToString(CultureInfo.InvariantCulture) + " days from " + options.MappingFolder + ": DashScope no longer returns their batches.");
            }

            client.Transport.Verbose(string.Format(
                CultureInfo.InvariantCulture,
                "Started {0}: {1} request(s) for {2} from {3}, completion window {4}; mapping file {5}.",
                batch.Id,
                build.Count,
                options.Model,
                file.Id,
                completionWindow,
                batch.MappingPath));
            return batch;
        }

        public static async Task<QwenBatch> GetAsync(QwenClient client, string batchId, string mappingFolder, CancellationToken cancellationToken) =>
            WithMapping(await new BatchesApi(client.Transport).GetAsync(batchId, cancellationToken).ConfigureAwait(false), mappingFolder);

        public static Task<int> ListAsync(QwenClient client, BatchListFilter filter, int pageSize, int first, string mappingFolder, Action<QwenBatch> onBatch, CancellationToken cancellationToken) =>
            new BatchesApi(client.Transport).ListAsync(filter, pageSize, first, batch => onBatch(WithMapping(batch, mappingFolder)), cancellationToken);

        public static async Task<QwenBatch> CancelAsync(QwenClient client, string batchId, string mappingFolder, CancellationToken cancellationToken) =>
            WithMapping(await new BatchesApi(client.Transport).CancelAsync(batchId, cancellationToken).ConfigureAwait(false), mappingFolder);

        /// <summary>
        /// Polls until the batch has finished: at once, then after <paramref name="firstInterval"/>, growing by
        /// <see cref="BackOff"/> while the status stays the same (at most <see cref="MaxPollInterval"/>, or the first
        /// interval when that is longer) and starting again when it changes. Progress comes from request_counts.
        /// -TimeoutSec (the command's deadline) ends the wait with BatchWaitTimeout; a stop ends it at once. Neither
        /// touches the batch.
        /// </summary>
        public static async Task<QwenBatch> WaitAsync(QwenClient client, string batchId, TimeSpan firstInterval, string mappingFolder, CancellationToken cancellationToken)
        {
            var api = new BatchesApi(client.Transport);
            TransportSettings settings = client.Settings;
            Deadline? deadline = settings.CommandDeadline;
            int activityId = Interlocked.Increment(ref _nextActivityId);
            string activity = "Waiting for batch " + batchId;
            TimeSpan cap = firstInterval > MaxPollInterval ? firstInterval : MaxPollInterval;
            TimeSpan interval = firstInterval;
            string? lastStatus = null;
            client.Transport.Verbose("Waiting for " + batchId + ". Ctrl+C stops the waiting only: the batch keeps running (Stop-QwenBatch cancels it).");
            try
            {
                while (true)
                {
                    QwenBatch batch = WithMapping(await api.GetAsync(batchId, cancellationToken).ConfigureAwait(false), mappingFolder);
                    if (batch.Status != lastStatus)
                    {
                        client.Transport.Verbose(batchId + ": " + Describe(batch) + ".");
                        interval = lastStatus == null ? interval : firstInterval;
                        lastStatus = batch.Status;
                    }

                    if (batch.IsFinished)
                    {
                        return batch;
                    }

                    int percent = batch.Total > 0 ? (int)Math.Min(100, (batch.Completed + batch.Failed) * 100L / batch.Total) : -1;
                    settings.Output.WriteProgress(new QwenProgress(activityId, activity, Describe(batch), percent, completed: false));
                    if (deadline != null && deadline.Total.HasValue && deadline.Remaining <= interval)
                    {
                        // The budget ends before the next poll: wait it out (the promise was to wait that long), then say so.
                        await settings.Delay(deadline.Remaining, cancellationToken).ConfigureAwait(false);
                        throw WaitTimeout(batch, deadline.Total.Value);
                    }

                    if (interval > TimeSpan.Zero)
                    {
                        await settings.Delay(interval, cancellationToken).ConfigureAwait(false);
                    }

                    interval = TimeSpan.FromTicks(Math.Min(cap.Ticks, (long)(interval.Ticks * BackOff)));
                }
            }
            finally
            {
                settings.Output.WriteProgress(new QwenProgress(activityId, activity, "Done", 100, completed: true));
            }
        }

        /// <summary>Downloads the output and error files (each streamed to a file in <paramref name="folder"/>).</summary>
        public static async Task<IReadOnlyList<KeyValuePair<string, string>>> DownloadResultsAsync(QwenClient client, QwenBatch batch, string folder, CancellationToken cancellationToken)
        {
            var files = new List<KeyValuePair<string, string>>();
            var api = new FilesApi(client.Transport);
            int activityId = Interlocked.Increment(ref _nextActivityId);
            string activity = "Downloading the results of " + batch.Id;
            try
            {
                foreach (string? fileId in new[] { batch.OutputFileId, batch.ErrorFileId })
                {
                    if (fileId == null)
                    {
                        continue;
                    }

                    client.Settings.Output.WriteProgress(new QwenProgress(activityId, activity, fileId, -1, completed: false));
                    string path = Path.Combine(folder, "qwenps-results-" + Guid.NewGuid().ToString("N") + ".jsonl");
                    files.Add(new KeyValuePair<string, string>(fileId, path));
                    using (FileStream sink = PrivateFiles.CreateNew(path, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                    {
                        await api.DownloadContentAsync(fileId, sink, cancellationToken).ConfigureAwait(false);
                    }
                }

                return files;
            }
            catch
            {
                foreach (KeyValuePair<string, string> file in files)
                {
                    BatchResultSet.TryDelete(file.Value);
                }

                throw;
            }
            finally
            {
                client.Settings.Output.WriteProgress(new QwenProgress(activityId, activity, "Done", 100, completed: true));
            }
        }

        /// <summary>
        /// Downloads the result files and opens them as a <see cref="BatchResultSet"/> that prices each result in the
        /// client's region and adds it to the client's runspace usage sums (once per result); <paramref name="options"/> says how
        /// JSON answers are read.
        /// </summary>
        public static async Task<BatchResultSet> ReceiveAsync(QwenClient client, QwenBatch batch, string folder, BatchMapping? mapping, IReadOnlyList<object?>? inputs,
            BatchReceiveOptions options, CancellationToken cancellationToken)
        {
            IReadOnlyList<KeyValuePair<string, string>> files = await DownloadResultsAsync(client, batch, folder, cancellationToken).ConfigureAwait(false);
            options.Region = client.Settings.Region;
            options.Scope = client.Scope;
            return new BatchResultSet(batch, files, mapping, inputs, options);
        }

        /// <summary>Sets <see cref="QwenBatch.MappingPath"/> (and the model) when this machine has the batch's mapping file.</summary>
        public static QwenBatch WithMapping(QwenBatch batch, string mappingFolder)
        {
            string? path = BatchDataFolder.MappingPath(mappingFolder, batch.Id);
            if (path != null && File.Exists(path))
            {
                batch.MappingPath = path;
                batch.Model = batch.Model ?? BatchMapping.ReadModel(path);
            }

            return batch;
        }

        internal static string Describe(QwenBatch batch) =>
            batch.Total > 0
                ? string.Format(CultureInfo.InvariantCulture, "{0}, {1:N0} of {2:N0} requests done ({3:N0} failed)", batch.Status, batch.Completed + batch.Failed, batch.Total, batch.Failed)
                : batch.Status;

        private static QwenException WaitTimeout(QwenBatch batch, TimeSpan total) =>
            new QwenException(
                QwenErrorIds.BatchWaitTimeout,
                QwenErrorCategory.OperationTimeout,
                "The batch " + batch.Id + " had not finished after " + QwenTransport.Seconds(total) + " (-TimeoutSec): " + Describe(batch)
                + ". It keeps running on the service; wait again with Wait-QwenBatch -Id " + batch.Id + ".") { Target = batch.Id };
    }
}
