using System;
using System.IO;

namespace QwenPS.Files
{
    /// <summary>
    /// One document of an Add-QwenFileReference message, in the order the user gave it: a local file that still has
    /// to be uploaded, a file already on DashScope (a QwenFileInfo, which may still be processing), or a bare id.
    /// </summary>
    internal sealed class FileReferenceSource
    {
        private FileReferenceSource(string? localPath, QwenFileInfo? storedFile, string? fileId)
        {
            LocalPath = localPath;
            StoredFile = storedFile;
            FileId = fileId;
        }

        /// <summary>A file-system path to upload (purpose file-extract).</summary>
        public string? LocalPath { get; }

        /// <summary>A file the Files API already holds, as Get-QwenFile wrote it.</summary>
        public QwenFileInfo? StoredFile { get; }

        /// <summary>An id given as text: referenced as it is, with no request.</summary>
        public string? FileId { get; }

        /// <summary>Whether referencing this source takes a request: an upload, or waiting for processing to end.</summary>
        public bool NeedsService => LocalPath != null || (StoredFile != null && !FilesApi.IsProcessed(StoredFile.Status));

        /// <summary>A local file, checked against the upload rules now, so nothing is sent when one is bad.</summary>
        public static FileReferenceSource Local(string path)
        {
            FileUploadRules.Check(path, FilePurposes.FileExtract);
            return new FileReferenceSource(path, null, null);
        }

        /// <summary>A stored file; one that can never be read by qwen-long is refused now, before any request.</summary>
        public static FileReferenceSource Stored(QwenFileInfo file)
        {
            if (file.Purpose != null && !string.Equals(file.Purpose, FilePurposes.FileExtract, StringComparison.Ordinal))
            {
                throw new QwenException(
                    QwenErrorIds.InvalidArgument,
                    QwenErrorCategory.InvalidArgument,
                    file.Id + " (" + (file.FileName ?? "file") + ") was uploaded for '" + file.Purpose + "'; qwen-long reads only files uploaded for '" + FilePurposes.FileExtract + "'.") { Target = file.Id };
            }

            if (!FilesApi.IsProcessed(file.Status) && !FilesApi.IsProcessing(file.Status))
            {
                throw FilesApi.ProcessingFailed(file);
            }

            return new FileReferenceSource(null, file, null);
        }

        public static FileReferenceSource Id(string fileId) => new FileReferenceSource(null, null, fileId);

        /// <summary>
        /// What an object piped to Add-QwenFileReference is: a conversation item to pass through (null is returned),
        /// or a document: a file from Get-ChildItem/Get-Item, or a QwenFileInfo from Get-QwenFile.
        /// </summary>
        public static FileReferenceSource? FromPipeline(object item)
        {
            switch (item)
            {
                case QwenMessage _:
                case QwenChatResponse _:
                    return null;
                case FileInfo file:
                    return Local(file.FullName);
                case DirectoryInfo directory:
                    throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.InvalidArgument, "'" + directory.FullName + "' is a directory, not a file.") { Target = item };
                case QwenFileInfo stored:
                    return Stored(stored);
                default:
                    throw new QwenException(
                        QwenErrorIds.InvalidArgument,
                        QwenErrorCategory.InvalidType,
                        "Only messages (QwenMessage, QwenChatResponse), files (Get-ChildItem) and stored files (Get-QwenFile) can be piped to Add-QwenFileReference; got " +
                        item.GetType().FullName + ". Give paths with -Path or -LiteralPath.") { Target = item };
            }
        }
    }
}
