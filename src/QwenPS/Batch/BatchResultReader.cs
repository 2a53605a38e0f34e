using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;

namespace QwenPS.Batch
{
    /// <summary>
    /// Reads batch result files line by line (flat memory whatever their length): the output file's successes and the
    /// error file's failures, in the order the service wrote them. Error lines are read in both spellings the
    /// documentation shows (<c>code</c>/<c>message</c> and <c>error_code</c>/<c>error_message</c>), with
    /// <c>response</c> null or holding an error body. A line that cannot be read becomes a result with
    /// <see cref="BatchResultLine.Malformed"/> set; reading goes on.
    /// </summary>
    internal static class BatchResultReader
    {
        public static IEnumerable<BatchResultLine> Read(Stream stream, CancellationToken cancellationToken)
        {
            foreach (JsonlLine line in JsonlLines.Read(stream, cancellationToken))
            {
                yield return Parse(line.Bytes, line.Number);
            }
        }

        /// <summary>The custom id of each line and where the line is, for reading lines again in another order.</summary>
        public static IEnumerable<(string? CustomId, long Offset, int Length, int Number)> Index(Stream stream, CancellationToken cancellationToken)
        {
            foreach (JsonlLine line in JsonlLines.Read(stream, cancellationToken))
            {
                yield return (CustomIdOf(line.Bytes.Span), line.Offset, line.Bytes.Length, line.Number);
            }
        }

        /// <summary>Reads the line at <paramref name="offset"/> again (after <see cref="Index"/>).</summary>
        public static BatchResultLine ReadAt(Stream stream, long offset, int length, int number) =>
            Parse(JsonlLines.ReadAt(stream, offset, length), number);

        public static BatchResultLine Parse(ReadOnlyMemory<byte> bytes, int number)
        {
            var result = new BatchResultLine { LineNumber = number };
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes);
            }
            catch (JsonException ex)
            {
                result.CustomId = CustomIdOf(bytes.Span);
                result.Malformed = "Line " + number.ToString(CultureInfo.InvariantCulture) + " is not valid JSON: " + ex.Message;
                return result;
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    result.Malformed = "Line " + number.ToString(CultureInfo.InvariantCulture) + " is not a JSON object.";
                    return result;
                }

                result.CustomId = Text(root, "custom_id");
                result.LineId = Text(root, "id");
                if (string.IsNullOrEmpty(result.CustomId))
                {
                    result.Malformed = "Line " + number.ToString(CultureInfo.InvariantCulture) + " has no custom_id.";
                    return result;
                }

                JsonElement? errorBody = null;
                if (root.TryGetProperty("response", out JsonElement response) && response.ValueKind == JsonValueKind.Object)
                {
                    if (response.TryGetProperty("status_code", out JsonElement status) && status.ValueKind == JsonValueKind.Number && status.TryGetInt32(out int code))
                    {
                        result.StatusCode = code;
                    }

                    result.RequestId = Text(response, "request_id");
                    if (response.TryGetProperty("body", out JsonElement body) && body.ValueKind == JsonValueKind.Object)
                    {
                        result.Body = body.Clone();
                        if (body.TryGetProperty("error", out JsonElement inner) && inner.ValueKind == JsonValueKind.Object)
                        {
                            errorBody = inner;
                        }
                    }
                }

                result.RequestId = result.RequestId ?? result.LineId;
                bool hasError = root.TryGetProperty("error", out JsonElement error) && error.ValueKind != JsonValueKind.Null && error.ValueKind != JsonValueKind.Undefined;
                result.IsError = hasError || errorBody.HasValue || (result.StatusCode.HasValue && result.StatusCode.Value >= 400);
                if (result.IsError)
                {
                    if (hasError && error.ValueKind == JsonValueKind.Object)
                    {
                        result.ErrorCode = Text(error, "code") ?? Text(error, "error_code");
                        result.ErrorMessage = Text(error, "message") ?? Text(error, "error_message");
                    }
                    else if (hasError && error.ValueKind == JsonValueKind.String)
                    {
                        result.ErrorMessage = error.GetString();
                    }

                    if (errorBody.HasValue)
                    {
                        result.ErrorCode = result.ErrorCode ?? Text(errorBody.Value, "code");
                        result.ErrorMessage = result.ErrorMessage ?? Text(errorBody.Value, "message");
                    }

                    if (result.ErrorMessage == null)
                    {
                        result.ErrorMessage = "The request failed" + (result.StatusCode.HasValue ? " with HTTP " + result.StatusCode.Value.ToString(CultureInfo.InvariantCulture) : string.Empty) + ".";
                    }
                }

                return result;
            }
        }

        /// <summary>A string property's value (numbers as their text); null when absent or of another kind.</summary>
        private static string? Text(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out JsonElement value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString()
                : value.ValueKind == JsonValueKind.Number ? value.GetRawText()
                : null;
        }

        /// <summary>The top-level custom_id, found without building a document (null when unreadable).</summary>
        private static string? CustomIdOf(ReadOnlySpan<byte> bytes)
        {
            try
            {
                var reader = new Utf8JsonReader(bytes);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        return null;
                    }

                    if (reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool isId = reader.ValueTextEquals("custom_id");
                        reader.Read();
                        if (isId)
                        {
                            return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        }

                        reader.Skip();
                    }
                }
            }
            catch (JsonException)
            {
                // A line cut mid-way: whatever id it had is lost with it.
            }

            return null;
        }
    }
}
