using System.Buffers;
using System.Collections.Generic;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace QwenPS.TestServer.Control;

/// <summary>Serialises recorded requests for GET /_control/requests (camelCase, one object per request).</summary>
internal static class RecordingJson
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static byte[] Write(IReadOnlyList<RecordedRequest> requests)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartArray();
            foreach (RecordedRequest request in requests)
            {
                WriteOne(json, request);
            }

            json.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteOne(Utf8JsonWriter json, RecordedRequest request)
    {
        json.WriteStartObject();
        json.WriteString("method", request.Method);
        json.WriteString("path", request.Path);
        json.WriteString("query", request.Query);
        json.WriteStartObject("headers");
        foreach (KeyValuePair<string, string> header in request.Headers)
        {
            json.WriteString(header.Key, header.Value);
        }

        json.WriteEndObject();
        json.WriteString("bodyText", request.BodyText);
        json.WritePropertyName("bodyJson");
        if (request.BodyElement is JsonElement body)
        {
            body.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }

        json.WritePropertyName("upload");
        if (request.Upload is MultipartInfo upload)
        {
            json.WriteStartObject();
            json.WriteString("fileName", upload.FileName);
            json.WriteString("purpose", upload.Purpose);
            json.WriteNumber("length", upload.Length);
            json.WriteString("sha256Hex", upload.Sha256Hex);
            json.WriteString("fileContentType", upload.FileContentType);
            json.WriteStartObject("fields");
            foreach (KeyValuePair<string, string> field in upload.Fields)
            {
                json.WriteString(field.Key, field.Value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNullValue();
        }

        json.WriteString("connectionId", request.ConnectionId);
        json.WriteString("receivedAt", request.ReceivedAt);
        if (request.ResponseStatus is int status)
        {
            json.WriteNumber("responseStatus", status);
        }
        else
        {
            json.WriteNull("responseStatus");
        }

        json.WriteString("requestId", request.RequestId);
        json.WriteEndObject();
    }
}
