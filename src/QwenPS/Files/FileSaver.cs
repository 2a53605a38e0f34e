using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace QwenPS.Files
{
    /// <summary>
    /// Save-QwenFileContent's file handling, around any download that writes into a stream: the bytes go to a
    /// temporary file beside the destination, which takes the destination's name only once the download is whole.
    /// So a cut download never leaves a truncated file under the real name, and an existing file (replaced only with
    /// <c>force</c>) survives a failed download untouched.
    /// </summary>
    internal static class FileSaver
    {
        /// <summary>Downloads into <paramref name="destination"/>; returns the number of bytes written.</summary>
        public static async Task<long> SaveAsync(string destination, bool force, Func<Stream, CancellationToken, Task<long>> download, object target, CancellationToken cancellationToken)
        {
            string full = Path.GetFullPath(destination);
            if (Directory.Exists(full))
            {
                throw new QwenException(QwenErrorIds.DestinationExists, QwenErrorCategory.ResourceExists, "'" + full + "' is a directory; give a file name, or the directory as -Path to save under the stored name.") { Target = target };
            }

            if (File.Exists(full) && !force)
            {
                throw new QwenException(QwenErrorIds.DestinationExists, QwenErrorCategory.ResourceExists, "'" + full + "' already exists; -Force replaces it.") { Target = target };
            }

            string folder = Path.GetDirectoryName(full)!;
            if (!Directory.Exists(folder))
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "The folder '" + folder + "' does not exist.") { Target = target };
            }

            string temporary = full + ".partial-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            long written = 0;
            try
            {
                using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    var counting = new CountingStream(file);
                    try
                    {
                        written = await download(counting, cancellationToken).ConfigureAwait(false);
                    }
                    catch (QwenException error)
                    {
                        throw new QwenException(
                            error.ErrorId,
                            error.Category,
                            error.Message + string.Format(CultureInfo.InvariantCulture, " {0} byte(s) had arrived; '{1}' was not written.", counting.Written, full),
                            error) { Target = target, RequestId = error.RequestId, StatusCode = error.StatusCode, ServiceCode = error.ServiceCode };
                    }

                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                if (File.Exists(full))
                {
                    File.Replace(temporary, full, null);
                }
                else
                {
                    File.Move(temporary, full);
                }

                temporary = string.Empty;
                return written;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new QwenException(QwenErrorIds.FileWriteFailed, QwenErrorCategory.WriteError, "Could not write '" + full + "': " + ex.Message, ex) { Target = target };
            }
            finally
            {
                if (temporary.Length > 0)
                {
                    try
                    {
                        File.Delete(temporary);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        // Nothing more to do: the partial file has a name no one will mistake for the result.
                    }
                }
            }
        }

        /// <summary>Passes writes through and counts them, so a failure can say how much had arrived.</summary>
        private sealed class CountingStream : Stream
        {
            private readonly Stream _inner;

            public CountingStream(Stream inner)
            {
                _inner = inner;
            }

            public long Written { get; private set; }

            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => Written;

            public override long Position
            {
                get => Written;
                set => throw new NotSupportedException();
            }

            public override void Flush() => _inner.Flush();

            public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count)
            {
                _inner.Write(buffer, offset, count);
                Written += count;
            }

            public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                await _inner.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
                Written += count;
            }
        }
    }
}
