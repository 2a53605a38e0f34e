using System;
using System.Collections.Generic;
using System.IO;

namespace QwenPS.Files
{
    /// <summary>
    /// What the Files API accepts, checked before any byte is sent. Every upload must be an existing, non-empty
    /// file; purpose <c>file-extract</c> also needs a format qwen-long reads, images up to 20 MB and other
    /// documents up to 150 MB (docs/dashscope-notes.md, "Files API"). Other purposes (batch input, JSONL) are
    /// left to the service.
    /// </summary>
    internal static class FileUploadRules
    {
        public const long MaxDocumentBytes = 150L * 1024 * 1024;
        public const long MaxImageBytes = 20L * 1024 * 1024;

        private static readonly HashSet<string> Documents = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            ".txt", ".docx", ".pdf", ".xlsx", ".epub", ".mobi", ".md", ".csv", ".json",
        };

        private static readonly HashSet<string> Images = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            ".bmp", ".png", ".jpg", ".jpeg", ".gif",
        };

        public static IEnumerable<string> SupportedExtensions
        {
            get
            {
                foreach (string extension in Documents)
                {
                    yield return extension;
                }

                foreach (string extension in Images)
                {
                    yield return extension;
                }
            }
        }

        /// <summary>Throws a <see cref="QwenException"/> naming the path when the file cannot be uploaded with <paramref name="purpose"/>; returns its size.</summary>
        public static long Check(string path, string purpose)
        {
            var file = new FileInfo(path);
            if (Directory.Exists(path))
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.InvalidArgument, "'" + path + "' is a directory, not a file.") { Target = path };
            }

            if (!file.Exists)
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "The file '" + path + "' does not exist.") { Target = path };
            }

            bool extract = purpose == FilePurposes.FileExtract;
            // FileInfo describes a symbolic link itself (its length is the length of the target's path): the size
            // that counts, and the one the upload sends, is the target's, read from an open handle.
            long length = (file.Attributes & FileAttributes.ReparsePoint) != 0 ? LengthThroughLinks(path) : file.Length;
            string extension = file.Extension;
            bool image = Images.Contains(extension);
            if (extract && !image && !Documents.Contains(extension))
            {
                throw new QwenException(
                    QwenErrorIds.UnsupportedFileType,
                    QwenErrorCategory.InvalidArgument,
                    "qwen-long cannot read '" + file.Name + "': supported types are " + string.Join(", ", SupportedExtensions) + ".") { Target = path };
            }

            if (length == 0)
            {
                throw new QwenException(QwenErrorIds.FileEmpty, QwenErrorCategory.InvalidArgument, "The file '" + path + "' is empty.") { Target = path };
            }

            long limit = image ? MaxImageBytes : MaxDocumentBytes;
            if (extract && length > limit)
            {
                throw new QwenException(
                    QwenErrorIds.FileTooLarge,
                    QwenErrorCategory.LimitsExceeded,
                    string.Format(
                        System.Globalization.CultureInfo.InvariantCulture,
                        "The file '{0}' is {1:0.0} MB; the limit for {2} is {3} MB.",
                        path,
                        length / 1048576.0,
                        image ? "images" : "documents",
                        limit / 1048576)) { Target = path };
            }

            return length;
        }

        private static long LengthThroughLinks(string path)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    return stream.Length;
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "The file '" + path + "' is a link to a file that does not exist.", ex) { Target = path };
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new QwenException(QwenErrorIds.FileReadFailed, QwenErrorCategory.ReadError, "Could not open '" + path + "': " + ex.Message, ex) { Target = path };
            }
        }

        /// <summary>An ASCII stand-in for the multipart <c>filename</c>; the exact name goes in <c>filename*</c> (RFC 5987).</summary>
        public static string AsciiFileName(string name)
        {
            var builder = new System.Text.StringBuilder(name.Length);
            foreach (char c in name)
            {
                builder.Append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '_');
            }

            return builder.ToString();
        }
    }
}
