using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenPS.Chat.Tools
{
    /// <summary>The one way the tool code writes JSON text: Utf8JsonWriter, CJK as UTF-8 rather than \u escapes.</summary>
    internal static class ToolJson
    {
        public static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <summary>The JSON text <paramref name="write"/> writes.</summary>
        public static string Write(Action<Utf8JsonWriter> write)
        {
            using (var buffer = new MemoryStream(256))
            {
                using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                {
                    write(writer);
                }

                return Encoding.UTF8.GetString(buffer.ToArray());
            }
        }
    }
}
