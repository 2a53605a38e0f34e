using System;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Engine;

namespace QwenPS.Files
{
    /// <summary>Get-QwenFile's and Remove-QwenFile's behaviour: the Files API calls a cmdlet makes, over its client.</summary>
    internal static class FileOperations
    {
        /// <summary>The page size of a listing: the largest the service allows (docs/dashscope-notes.md, "Files API").</summary>
        public const int ListPageSize = 2000;

        public static Task<QwenFileInfo> GetAsync(QwenClient client, string fileId, CancellationToken cancellationToken) =>
            new FilesApi(client.Transport).GetFileAsync(fileId, cancellationToken);

        /// <summary>Every stored file (of <paramref name="purpose"/>, or all), handed to <paramref name="onFile"/> as each page arrives.</summary>
        public static async Task<bool> ListAsync(QwenClient client, string? purpose, Action<QwenFileInfo> onFile, CancellationToken cancellationToken)
        {
            await new FilesApi(client.Transport).ListFilesAsync(purpose, ListPageSize, onFile, cancellationToken).ConfigureAwait(false);
            return true;
        }

        /// <summary>The files <paramref name="query"/> matches, handed to <paramref name="onFile"/> as each page arrives; it returns false to stop.</summary>
        public static async Task<bool> ListAsync(QwenClient client, FileListQuery query, Func<QwenFileInfo, bool> onFile, CancellationToken cancellationToken)
        {
            await new FilesApi(client.Transport).ListFilesAsync(query, onFile, cancellationToken).ConfigureAwait(false);
            return true;
        }

        /// <summary>
        /// Saves a stored file's content (a batch result) to <paramref name="destination"/>, streamed, whole or not at all
        /// (<see cref="FileSaver"/>). Returns the number of bytes written.
        /// </summary>
        public static Task<long> SaveContentAsync(QwenClient client, string fileId, string destination, bool force, CancellationToken cancellationToken)
        {
            var files = new FilesApi(client.Transport);
            return FileSaver.SaveAsync(destination, force, (sink, token) => files.DownloadContentAsync(fileId, sink, token), fileId, cancellationToken);
        }

        /// <summary>Deletes one file; the result is null (nothing to write).</summary>
        public static async Task<object?> DeleteAsync(QwenClient client, string fileId, CancellationToken cancellationToken)
        {
            await new FilesApi(client.Transport).DeleteFileAsync(fileId, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }
}
