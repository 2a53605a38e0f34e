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

        /// <summary>Deletes one file; the result is null (nothing to write).</summary>
        public static async Task<object?> DeleteAsync(QwenClient client, string fileId, CancellationToken cancellationToken)
        {
            await new FilesApi(client.Transport).DeleteFileAsync(fileId, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }
}
