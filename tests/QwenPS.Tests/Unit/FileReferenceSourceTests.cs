using System;
using System.IO;
using Xunit;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Files;
using QwenPS.Output;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Unit
{
    /// <summary>What Add-QwenFileReference makes of each piped object: a message to pass on, or a document.</summary>
    public sealed class FileReferenceSourceTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder("sources");

        public void Dispose() => _folder.Dispose();

        private FileInfo Write(string name, string text) => new FileInfo(_folder.Write(name, text));

        private static QwenFileInfo Stored(string id, string? status, string? purpose = "file-extract", string? details = null) =>
            new QwenFileInfo(id, "doc.pdf", 10, purpose, status, details, null);

        [Fact]
        public void Messages_and_responses_are_not_documents()
        {
            Assert.Null(FileReferenceSource.FromPipeline(new QwenMessage(QwenRole.User, "hi")));
            Assert.Null(FileReferenceSource.FromPipeline(new QwenChatResponse("answer", null, "stop", null, "qwen-long", "chatcmpl-1", null, null, Array.Empty<QwenToolCall>(), Array.Empty<QwenMessage>(), false)));
        }

        [Fact]
        public void A_piped_file_is_uploaded_by_its_full_path()
        {
            FileInfo file = Write("minutes.md", "# notes");

            FileReferenceSource source = FileReferenceSource.FromPipeline(file)!;

            Assert.Equal(file.FullName, source.LocalPath);
            Assert.True(source.NeedsService);
        }

        [Theory]
        [InlineData("empty.txt", "", QwenErrorIds.FileEmpty)]
        [InlineData("tool.exe", "MZ", QwenErrorIds.UnsupportedFileType)]
        public void A_piped_file_that_cannot_be_sent_is_refused_at_once(string name, string text, string errorId)
        {
            FileInfo file = Write(name, text);

            QwenException error = Assert.Throws<QwenException>(() => FileReferenceSource.FromPipeline(file));

            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(file.FullName, error.Target);
        }

        [Fact]
        public void A_piped_file_that_is_gone_or_a_directory_is_FileNotFound()
        {
            var gone = new FileInfo(_folder["gone.pdf"]);
            Assert.Equal(QwenErrorIds.FileNotFound, Assert.Throws<QwenException>(() => FileReferenceSource.FromPipeline(gone)).ErrorId);

            QwenException directory = Assert.Throws<QwenException>(() => FileReferenceSource.FromPipeline(new DirectoryInfo(_folder.Path)));
            Assert.Equal(QwenErrorIds.FileNotFound, directory.ErrorId);
            Assert.Equal(QwenErrorCategory.InvalidArgument, directory.Category);
        }

        [Fact]
        public void A_processed_stored_file_needs_no_request_and_one_still_processing_does()
        {
            FileReferenceSource processed = FileReferenceSource.FromPipeline(Stored("file-fe-1", "processed"))!;
            FileReferenceSource processing = FileReferenceSource.FromPipeline(Stored("file-fe-2", "processing"))!;

            Assert.False(processed.NeedsService);
            Assert.Equal("file-fe-1", processed.StoredFile!.Id);
            Assert.True(processing.NeedsService);
            Assert.Equal("fileid://file-fe-1,fileid://file-fe-9", FileReferenceOperation.BuildReference(new[] { processed, FileReferenceSource.Id("file-fe-9") }).Content);
        }

        [Fact]
        public void The_offline_reference_refuses_a_source_that_needs_the_service()
        {
            FileReferenceSource processing = FileReferenceSource.FromPipeline(Stored("file-fe-2", "processing"))!;

            Assert.Throws<InvalidOperationException>(() => FileReferenceOperation.BuildReference(new[] { processing }));
        }

        [Fact]
        public void A_stored_file_whose_processing_failed_is_FileProcessingFailed_before_any_request()
        {
            QwenException error = Assert.Throws<QwenException>(() => FileReferenceSource.FromPipeline(Stored("file-fe-3", "error", details: "File parsing failed.")));

            Assert.Equal(QwenErrorIds.FileProcessingFailed, error.ErrorId);
            Assert.Equal(QwenErrorCategory.InvalidData, error.Category);
            Assert.Contains("File parsing failed.", error.Message);
            Assert.Equal("file-fe-3", error.Target);
        }

        [Fact]
        public void A_stored_batch_file_cannot_be_read_by_qwen_long()
        {
            QwenException error = Assert.Throws<QwenException>(() => FileReferenceSource.FromPipeline(Stored("file-batch-1", "processed", purpose: "batch")));

            Assert.Equal(QwenErrorIds.InvalidArgument, error.ErrorId);
            Assert.Contains("'batch'", error.Message);
            Assert.Contains("file-extract", error.Message);
        }

        [Fact]
        public void Any_other_object_is_refused_as_the_wrong_type()
        {
            QwenException error = Assert.Throws<QwenException>(() => FileReferenceSource.FromPipeline("./report.pdf"));

            Assert.Equal(QwenErrorIds.InvalidArgument, error.ErrorId);
            Assert.Equal(QwenErrorCategory.InvalidType, error.Category);
            Assert.Contains("System.String", error.Message);
            Assert.Contains("-Path", error.Message);
        }
    }
}
