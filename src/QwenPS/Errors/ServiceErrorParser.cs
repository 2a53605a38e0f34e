using System;
using System.Text;
using System.Text.Json;

namespace QwenPS.Errors
{
    /// <summary>
    /// Reads the two error envelopes (docs/dashscope-notes.md, "Errors"): compat <c>{"error":{"code","message","type"},"request_id"}</c>
    /// and native <c>{"code","message","request_id"}</c>. Anything else (HTML from a proxy, empty, an unknown
    /// shape) yields null so the caller reports the status and a short, redacted snippet instead.
    /// </summary>
    internal static class ServiceErrorParser
    {
        public static ServiceError? TryParse(ReadOnlySpan<byte> body)
        {
            if (body.IsEmpty)
            {
                return null;
            }

            try
            {
                var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
                if (!JsonDocument.TryParseValue(ref reader, out JsonDocument? document))
                {
                    return null;
                }

                using (document)
                {
                    return FromElement(document!.RootElement);
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
            {
                // InvalidOperationException: a string that is not valid UTF-8/UTF-16 (read lazily by GetString).
                return null;
            }
        }

        internal static ServiceError? FromElement(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var error = new ServiceError { RequestId = GetString(root, "request_id") };
            if (root.TryGetProperty("error", out JsonElement inner))
            {
                if (inner.ValueKind == JsonValueKind.Object)
                {
                    error.Code = GetString(inner, "code");
                    error.Message = GetString(inner, "message");
                    error.Type = GetString(inner, "type");
                }
                else if (inner.ValueKind == JsonValueKind.String)
                {
                    error.Message = inner.GetString();
                }
            }

            // Native envelope, or a compat body that also carries top-level fields.
            error.Code ??= GetString(root, "code");
            error.Message ??= GetString(root, "message");
            if (error.Code == null && error.Message == null)
            {
                return null;
            }

            return error;
        }

        private static string? GetString(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out JsonElement value))
            {
                return null;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    return value.GetString();
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return value.GetRawText();
                default:
                    return null;
            }
        }

        /// <summary>
        /// A short, single-line, printable excerpt of a body, for messages about unexpected responses. The text is
        /// passed through <paramref name="redact"/> BEFORE it is cut: cut first, a key that straddles the cut would
        /// leave its first characters unmasked.
        /// </summary>
        public static string Snippet(ReadOnlySpan<byte> body, Func<string, string>? redact = null, int maxChars = 200)
        {
            if (body.IsEmpty)
            {
                return "(empty body)";
            }

            // Room for the cut and for a whole key after it, so the redactor sees every key that reaches the cut.
            int take = Math.Min(body.Length, (maxChars * 4) + 1024);
            string text = Encoding.UTF8.GetString(body.Slice(0, take).ToArray());
            if (redact != null)
            {
                text = redact(text);
            }

            var builder = new StringBuilder(Math.Min(text.Length, maxChars + 1));
            bool lastWasSpace = false;
            foreach (char c in text)
            {
                if (builder.Length >= maxChars)
                {
                    builder.Append('…');
                    break;
                }

                bool space = char.IsWhiteSpace(c) || char.IsControl(c);
                if (space)
                {
                    if (!lastWasSpace && builder.Length > 0)
                    {
                        builder.Append(' ');
                    }
                }
                else
                {
                    builder.Append(c);
                }

                lastWasSpace = space;
            }

            return builder.ToString().Trim();
        }
    }
}
