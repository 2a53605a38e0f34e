using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenPS.Documents
{
    /// <summary>
    /// The document system messages of qwen-long that carry text (docs/dashscope-notes.md,
    /// "Documents as text and at scale"): the plain-text form, whose content is the document itself, and the older JSON-string form, whose
    /// content is one serialised object <c>{"content", "file_type", "filename", "title"}</c>.
    /// </summary>
    internal static class DocumentMessage
    {
        /// <summary>The file name a -Text document gets when none is given.</summary>
        public const string DefaultTextFileName = "document.txt";

        private static readonly JsonWriterOptions Relaxed = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static QwenMessage Create(string text, QwenDocumentFormat format, string fileName, string? title)
        {
            if (text == null || text.Length == 0)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "The document '" + fileName + "' is empty.") { Target = fileName };
            }

            string content = format == QwenDocumentFormat.Json ? Json(text, FileType(fileName), fileName, title ?? DefaultTitle(fileName)) : text;
            return new QwenMessage(QwenRole.System, content);
        }

        /// <summary>
        /// The JSON-string form, in the key order and with the ", " and ": " separators of the published examples.
        /// Values are escaped by a JSON encoder (quotes, backslashes, control characters); other text stays as it is.
        /// </summary>
        public static string Json(string content, string fileType, string fileName, string title)
        {
            var builder = new StringBuilder(content.Length + fileName.Length + title.Length + 64);
            builder.Append("{\"content\": ").Append(Quote(content))
                .Append(", \"file_type\": ").Append(Quote(fileType))
                .Append(", \"filename\": ").Append(Quote(fileName))
                .Append(", \"title\": ").Append(Quote(title))
                .Append('}');
            return builder.ToString();
        }

        /// <summary>The extension without its dot, in lower case ("txt" when there is none).</summary>
        public static string FileType(string fileName)
        {
            string extension = Path.GetExtension(fileName);
            return extension.Length > 1 ? extension.Substring(1).ToLowerInvariant() : "txt";
        }

        /// <summary>The name without its extension.</summary>
        public static string DefaultTitle(string fileName)
        {
            string title = Path.GetFileNameWithoutExtension(fileName);
            return title.Length > 0 ? title : fileName;
        }

        private static string Quote(string value)
        {
            using (var buffer = new MemoryStream(value.Length + 16))
            {
                using (var writer = new Utf8JsonWriter(buffer, Relaxed))
                {
                    writer.WriteStringValue(value);
                }

                return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
        }
    }
}
