using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace QwenPS.Documents
{
    /// <summary>
    /// Reads a document as text, honestly: a byte order mark decides UTF-8, UTF-16 or UTF-32; without one the bytes
    /// must be valid UTF-8. Formats that only the service can extract (PDF, Office, e-books, images) and any other
    /// binary file are refused with <see cref="QwenErrorIds.DocumentNotText"/>, naming Add-QwenFileReference,
    /// which uploads them for the service to read (docs/dashscope-notes.md, "Documents as text and at scale").
    /// </summary>
    internal static class DocumentText
    {
        /// <summary>About what qwen-long takes inline; beyond it a document must go by file id (docs/dashscope-notes.md, "Documents as text and at scale").</summary>
        public const long InlineTokenLimit = 1000000;

        /// <summary>Larger files are not read into memory at all: they are far past <see cref="InlineTokenLimit"/>.</summary>
        public const long MaxReadBytes = 150L * 1024 * 1024;

        /// <summary>What the service extracts from uploads but a client cannot send as text.</summary>
        private static readonly HashSet<string> ExtractOnly = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".pptx", ".ppt", ".epub", ".mobi", ".bmp", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff",
        };

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>The text of the file at <paramref name="path"/>; throws a <see cref="QwenException"/> naming it, whose
        /// target is <paramref name="target"/> (the input it came from), else the path.</summary>
        public static string ReadFile(string path, object? target = null)
        {
            object errorTarget = target ?? path;
            var file = new FileInfo(path);
            if (Directory.Exists(path))
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.InvalidArgument, "'" + path + "' is a directory, not a file.") { Target = errorTarget };
            }

            if (!file.Exists)
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "The file '" + path + "' does not exist.") { Target = errorTarget };
            }

            if (ExtractOnly.Contains(file.Extension))
            {
                throw NotText(errorTarget, file.Name, "a " + file.Extension.TrimStart('.').ToUpperInvariant() + " file is not text");
            }

            if (file.Length > MaxReadBytes)
            {
                throw new QwenException(
                    QwenErrorIds.FileTooLarge,
                    QwenErrorCategory.LimitsExceeded,
                    string.Format(CultureInfo.InvariantCulture, "'{0}' is {1:0.0} MB: far too large to send as text. Add-QwenFileReference uploads it for qwen-long to read by file id.", path, file.Length / 1048576.0)) { Target = errorTarget };
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new QwenException(QwenErrorIds.FileReadFailed, QwenErrorCategory.ReadError, "Could not read '" + path + "': " + ex.Message, ex) { Target = errorTarget };
            }

            if (bytes.Length == 0)
            {
                throw new QwenException(QwenErrorIds.FileEmpty, QwenErrorCategory.InvalidArgument, "The file '" + path + "' is empty.") { Target = errorTarget };
            }

            return Decode(bytes, file.Name, errorTarget);
        }

        /// <summary>Decodes <paramref name="bytes"/> (see the class summary); <paramref name="target"/> goes on the error.</summary>
        public static string Decode(byte[] bytes, string name, object? target)
        {
            if (StartsWith(bytes, 0xEF, 0xBB, 0xBF))
            {
                return DecodeStrict(StrictUtf8, bytes, 3, name, target, "UTF-8");
            }

            // UTF-32 LE's mark starts with UTF-16 LE's, so it is tested first.
            if (StartsWith(bytes, 0xFF, 0xFE, 0x00, 0x00))
            {
                return DecodeStrict(new UTF32Encoding(false, false, true), bytes, 4, name, target, "UTF-32");
            }

            if (StartsWith(bytes, 0x00, 0x00, 0xFE, 0xFF))
            {
                return DecodeStrict(new UTF32Encoding(true, false, true), bytes, 4, name, target, "UTF-32");
            }

            if (StartsWith(bytes, 0xFF, 0xFE))
            {
                return DecodeStrict(new UnicodeEncoding(false, false, true), bytes, 2, name, target, "UTF-16");
            }

            if (StartsWith(bytes, 0xFE, 0xFF))
            {
                return DecodeStrict(new UnicodeEncoding(true, false, true), bytes, 2, name, target, "UTF-16");
            }

            string? signature = BinarySignature(bytes);
            if (signature != null)
            {
                throw NotText(target, name, "it starts like a " + signature + " file");
            }

            int nul = Array.IndexOf(bytes, (byte)0);
            if (nul >= 0)
            {
                throw NotText(target, name, "it has a NUL byte at offset " + nul.ToString(CultureInfo.InvariantCulture) + " (a binary file, or UTF-16 without a byte order mark)");
            }

            return DecodeStrict(StrictUtf8, bytes, 0, name, target, "UTF-8");
        }

        /// <summary>
        /// A rough, generous token count: CJK and other non-Latin letters count one token each, everything else one per
        /// four characters. Used only to warn before sending what the service would refuse.
        /// </summary>
        public static long EstimateTokens(string text)
        {
            long wide = 0;
            long narrow = 0;
            foreach (char c in text)
            {
                if (c < 0x0250 || char.IsWhiteSpace(c) || char.IsLowSurrogate(c))
                {
                    narrow++;
                }
                else
                {
                    wide++;
                }
            }

            return wide + ((narrow + 3) / 4);
        }

        /// <summary>The warning for a document too large to go inline, or null when it fits.</summary>
        public static string? InlineWarning(string name, string text)
        {
            long tokens = EstimateTokens(text);
            if (tokens <= InlineTokenLimit)
            {
                return null;
            }

            return string.Format(
                CultureInfo.InvariantCulture,
                "'{0}' is about {1:N0} tokens of text: more than the service takes inline (about {2:N0}); it will likely refuse the request. Add-QwenFileReference sends it by file id instead.",
                name,
                tokens,
                InlineTokenLimit);
        }

        private static string DecodeStrict(Encoding encoding, byte[] bytes, int skip, string name, object? target, string what)
        {
            try
            {
                return encoding.GetString(bytes, skip, bytes.Length - skip);
            }
            catch (DecoderFallbackException ex)
            {
                string where = ex.Index >= 0 ? " near byte " + (ex.Index + skip).ToString(CultureInfo.InvariantCulture) : string.Empty;
                throw NotText(target, name, "it is not valid " + what + where + " (save it as UTF-8)", ex);
            }
        }

        private static QwenException NotText(object? target, string name, string why, Exception? inner = null) =>
            new QwenException(
                QwenErrorIds.DocumentNotText,
                QwenErrorCategory.InvalidData,
                "'" + name + "' cannot be sent as text: " + why + ". Add-QwenFileReference uploads it so that qwen-long extracts its text itself.",
                inner) { Target = target };

        /// <summary>The kind of binary file these bytes open like, or null.</summary>
        private static string? BinarySignature(byte[] bytes)
        {
            if (StartsWith(bytes, 0x25, 0x50, 0x44, 0x46))
            {
                return "PDF";
            }

            if (StartsWith(bytes, 0x50, 0x4B, 0x03, 0x04) || StartsWith(bytes, 0x50, 0x4B, 0x05, 0x06))
            {
                return "ZIP (DOCX, XLSX, EPUB)";
            }

            if (StartsWith(bytes, 0x89, 0x50, 0x4E, 0x47))
            {
                return "PNG";
            }

            if (StartsWith(bytes, 0xFF, 0xD8, 0xFF))
            {
                return "JPEG";
            }

            if (StartsWith(bytes, 0x47, 0x49, 0x46, 0x38))
            {
                return "GIF";
            }

            if (StartsWith(bytes, 0xD0, 0xCF, 0x11, 0xE0))
            {
                return "legacy Office (DOC, XLS)";
            }

            if (bytes.Length >= 68 && Encoding.ASCII.GetString(bytes, 60, 8) == "BOOKMOBI")
            {
                return "MOBI";
            }

            return null;
        }

        private static bool StartsWith(byte[] bytes, params byte[] prefix)
        {
            if (bytes.Length < prefix.Length)
            {
                return false;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                if (bytes[i] != prefix[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
