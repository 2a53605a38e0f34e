using System;
using System.IO;
using System.Linq;
using System.Text;
using QwenPS.Documents;
using QwenPS.Tests.Support;
using Xunit;

namespace QwenPS.Tests.Documents
{
    /// <summary>Add-QwenDocument's honest decoding: what is text is read exactly, what is not is refused by name.</summary>
    public sealed class DocumentTextTests : IDisposable
    {
        private const string Sample = "Résumé: 年度报告 🚀 \"quoted\"\r\nline two";

        private readonly TempFolder _folder = new TempFolder("doctext");

        public void Dispose() => _folder.Dispose();

        private string WriteBytes(string name, byte[] bytes)
        {
            string path = _folder[name];
            File.WriteAllBytes(path, bytes);
            return path;
        }

        public static TheoryData<string, byte[]> Encodings() => new TheoryData<string, byte[]>
        {
            { "utf8.txt", Encoding.UTF8.GetBytes(Sample) },
            { "utf8-bom.txt", new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(Sample)).ToArray() },
            { "utf16le.txt", new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes(Sample)).ToArray() },
            { "utf16be.txt", new byte[] { 0xFE, 0xFF }.Concat(Encoding.BigEndianUnicode.GetBytes(Sample)).ToArray() },
            { "utf32le.txt", new byte[] { 0xFF, 0xFE, 0, 0 }.Concat(Encoding.UTF32.GetBytes(Sample)).ToArray() },
        };

        [Theory]
        [MemberData(nameof(Encodings))]
        public void Utf8_with_or_without_bom_and_utf16_or_32_with_bom_read_back_exactly_without_the_mark(string name, byte[] bytes)
        {
            Assert.Equal(Sample, DocumentText.ReadFile(WriteBytes(name, bytes)));
        }

        [Theory]
        [InlineData("report.pdf")]
        [InlineData("contract.DOCX")]
        [InlineData("sheet.xlsx")]
        [InlineData("photo.jpg")]
        public void Formats_only_the_service_extracts_are_refused_naming_add_qwenfilereference(string name)
        {
            string path = WriteBytes(name, Encoding.UTF8.GetBytes("looks like text"));
            QwenException error = Assert.Throws<QwenException>(() => DocumentText.ReadFile(path));

            Assert.Equal(QwenErrorIds.DocumentNotText, error.ErrorId);
            Assert.Equal(QwenErrorCategory.InvalidData, error.Category);
            Assert.Equal(path, error.Target);
            Assert.Contains("Add-QwenFileReference", error.Message);
            Assert.Contains(name, error.Message);
        }

        [Theory]
        [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "PDF")]
        [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "ZIP")]
        [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A }, "PNG")]
        [InlineData(new byte[] { 0x41, 0x42, 0x00, 0x43 }, "NUL byte at offset 2")]
        [InlineData(new byte[] { 0x41, 0xC3, 0x28, 0x42 }, "not valid UTF-8 near byte 1")]
        public void Binary_content_under_a_text_name_is_refused_and_says_why(byte[] bytes, string why)
        {
            string path = WriteBytes("renamed.txt", bytes);
            QwenException error = Assert.Throws<QwenException>(() => DocumentText.ReadFile(path));

            Assert.Equal(QwenErrorIds.DocumentNotText, error.ErrorId);
            Assert.Contains(why, error.Message);
            Assert.Contains("Add-QwenFileReference", error.Message);
        }

        [Fact]
        public void A_broken_utf16_file_is_refused_rather_than_read_with_replacement_characters()
        {
            // A lone high surrogate (D800) followed by 'A'.
            string path = WriteBytes("broken16.txt", new byte[] { 0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00 });
            Assert.Contains("not valid UTF-16", Assert.Throws<QwenException>(() => DocumentText.ReadFile(path)).Message);
        }

        [Fact]
        public void Missing_empty_and_directory_paths_get_their_own_ids()
        {
            Assert.Equal(QwenErrorIds.FileNotFound, Assert.Throws<QwenException>(() => DocumentText.ReadFile(_folder["none.txt"])).ErrorId);
            Assert.Equal(QwenErrorIds.FileEmpty, Assert.Throws<QwenException>(() => DocumentText.ReadFile(WriteBytes("empty.txt", new byte[0]))).ErrorId);
            Assert.Equal(QwenErrorIds.FileNotFound, Assert.Throws<QwenException>(() => DocumentText.ReadFile(_folder.Path)).ErrorId);
        }

        [Fact]
        public void The_inline_warning_comes_only_past_the_estimated_limit_and_counts_cjk_heavier()
        {
            Assert.Null(DocumentText.InlineWarning("small.txt", new string('a', 4 * 1000)));
            Assert.Null(DocumentText.InlineWarning("english.txt", new string('a', 3999996)));
            string? english = DocumentText.InlineWarning("english.txt", new string('a', 4000008));
            Assert.Contains("english.txt", english);
            Assert.Contains("Add-QwenFileReference", english);
            Assert.Null(DocumentText.InlineWarning("chinese.txt", new string('中', 1000000)));
            Assert.NotNull(DocumentText.InlineWarning("chinese.txt", new string('中', 1000001)));
        }
    }
}
