using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using QwenPS.TestServer.Chat;
using QwenPS.TestServer.Http;
using QwenPS.TestServer.Json;
using QwenPS.TestServer.TextGeneration;

namespace QwenPS.TestServer.Batches;

/// <summary>
/// Reads a batch input file the way the service's validation does (docs/dashscope-notes.md, "Batch") and decides every result up front:
/// either the batch-level errors that make it fail, or one result line per request, in service order.
/// </summary>
internal static partial class BatchPlanner
{
    public const string ChatEndpoint = "/v1/chat/completions";
    public const string EmbeddingsEndpoint = "/v1/embeddings";
    public const string TestEndpoint = "/v1/chat/ds-test";
    public const string TestModel = "batch-test-model";
    public const string TestModelAnswer = "This is a test result.";
    public const int MaxLines = 50_000;
    public const long MaxLineBytes = 6L * 1024 * 1024;
    public const long MaxFileBytes = 500L * 1024 * 1024;
    public const int MaxTestLines = 100;
    public const long MaxTestFileBytes = 1024 * 1024;
    public const string DefaultFailCode = "data_inspection_failed";
    public const string DataInspectionMessage = "Input data may contain inappropriate content.";
    private const int MaxReportedErrors = 100;

    public static readonly string[] Endpoints = [ChatEndpoint, EmbeddingsEndpoint, TestEndpoint];

    public static BatchPlan Plan(byte[] content, string endpoint, long windowSeconds, long created,
        (BatchOutcome Outcome, BatchOutputOrder Order, BatchErrorLineStyle Style) settings)
    {
        var errors = new List<BatchError>();
        var requests = new List<(string CustomId, int Line, JsonElement Body)>();
        bool testEndpoint = endpoint == TestEndpoint;
        if (content.LongLength > MaxFileBytes)
        {
            errors.Add(new BatchError("file_too_large", "The input file is larger than 500 MB.", null));
        }
        else if (testEndpoint && content.LongLength > MaxTestFileBytes)
        {
            errors.Add(new BatchError("test_model_limit_exceeded", "batch-test-model input files must not exceed 1 MB.", null));
        }

        List<ReadOnlyMemory<byte>> lines = SplitLines(content);
        if (lines.Count == 0)
        {
            errors.Add(new BatchError("empty_file", "The input file has no request lines.", null));
        }
        else if (lines.Count > MaxLines)
        {
            errors.Add(new BatchError("too_many_lines", "The input file has " + lines.Count + " lines; at most 50000 are allowed.", null));
        }
        else if (testEndpoint && lines.Count > MaxTestLines)
        {
            errors.Add(new BatchError("test_model_limit_exceeded", "batch-test-model input files must not have more than 100 lines.", null));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? firstModel = null;
        for (int i = 0; i < lines.Count && errors.Count < MaxReportedErrors; i++)
        {
            int number = i + 1;
            string? error = CheckLine(lines[i], endpoint, seen, ref firstModel, out string? code, out (string, JsonElement)? request);
            if (error is not null)
            {
                errors.Add(new BatchError(code!, error, number));
            }
            else
            {
                requests.Add((request!.Value.Item1, number, request.Value.Item2));
            }
        }

        if (errors.Count > 0)
        {
            return new BatchPlan(errors, Array.Empty<BatchResultLine>(), settings.Outcome, windowSeconds);
        }

        IEnumerable<(string CustomId, int Line, JsonElement Body)> ordered = settings.Order switch
        {
            BatchOutputOrder.Input => requests,
            BatchOutputOrder.Reversed => Enumerable.Reverse(requests),
            _ => requests.OrderBy(r => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(r.CustomId))), StringComparer.Ordinal),
        };

        var results = new List<BatchResultLine>(requests.Count);
        int failures = 0;
        foreach ((string customId, int line, JsonElement body) in ordered)
        {
            string requestId = Guid.NewGuid().ToString("D");
            (int status, string? code, string message, string? responseBody) = Answer(endpoint, body, requestId, created);
            if (code is null)
            {
                results.Add(new BatchResultLine(customId, line, false, SuccessLine(requestId, customId, responseBody!)));
                continue;
            }

            bool codeStyle = settings.Style == BatchErrorLineStyle.Code || (settings.Style == BatchErrorLineStyle.Mixed && failures % 2 == 0);
            failures++;
            results.Add(new BatchResultLine(customId, line, true, ErrorLine(requestId, customId, status, code, message, codeStyle)));
        }

        return new BatchPlan(Array.Empty<BatchError>(), results, settings.Outcome, windowSeconds);
    }

    /// <summary>Lines split on '\n' (a trailing '\r' dropped); the empty piece after a final newline is not a line.</summary>
    private static List<ReadOnlyMemory<byte>> SplitLines(byte[] content)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        int start = 0;
        while (start < content.Length)
        {
            int end = Array.IndexOf(content, (byte)'\n', start);
            int next = end < 0 ? content.Length : end + 1;
            int stop = end < 0 ? content.Length : end;
            if (stop > start && content[stop - 1] == (byte)'\r')
            {
                stop--;
            }

            lines.Add(new ReadOnlyMemory<byte>(content, start, stop - start));
            start = next;
        }

        return lines;
    }

    private static string? CheckLine(ReadOnlyMemory<byte> bytes, string endpoint, HashSet<string> seen, ref string? firstModel,
        out string? code, out (string, JsonElement)? request)
    {
        request = null;
        code = null;
        if (bytes.Length > MaxLineBytes)
        {
            code = "line_too_large";
            return "The line is larger than 6 MB.";
        }

        JsonElement root;
        try
        {
            // No BOM skipping: a UTF-8 BOM in front of the first line makes that line invalid, as it should.
            using JsonDocument document = JsonDocument.Parse(bytes);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            code = "invalid_json_line";
            return "The line is not valid JSON.";
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            code = "invalid_json_line";
            return "The line is not a JSON object.";
        }

        if (!root.TryGetProperty("custom_id", out JsonElement id) || id.ValueKind != JsonValueKind.String || id.GetString()!.Length == 0)
        {
            code = "missing_custom_id";
            return "The line has no custom_id.";
        }

        string customId = id.GetString()!;
        if (!seen.Add(customId))
        {
            code = "duplicate_custom_id";
            return "The custom_id '" + customId + "' is used more than once.";
        }

        if (!root.TryGetProperty("method", out JsonElement method) || !method.ValueEquals("POST"))
        {
            code = "invalid_method";
            return "method must be POST.";
        }

        string url = root.TryGetProperty("url", out JsonElement u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : string.Empty;
        if (url != endpoint)
        {
            code = url == TestEndpoint || endpoint == TestEndpoint ? "mismatched_test_url" : "mismatched_endpoint";
            return "The line's url '" + url + "' does not match the batch endpoint '" + endpoint + "'.";
        }

        if (!root.TryGetProperty("body", out JsonElement body) || body.ValueKind != JsonValueKind.Object)
        {
            code = "invalid_body";
            return "The line has no body object.";
        }

        string model = body.TryGetProperty("model", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
        if (model.Length == 0)
        {
            code = "missing_model";
            return "The body has no model.";
        }

        firstModel ??= model;
        if (model != firstModel)
        {
            code = "mismatched_model";
            return "The model '" + model + "' differs from the file's first model '" + firstModel + "': one model per file.";
        }

        if ((model == TestModel) != (endpoint == TestEndpoint))
        {
            code = "mismatched_test_url";
            return "batch-test-model must be used with the endpoint " + TestEndpoint + ", and only it.";
        }

        if (model.StartsWith("nonexistent", StringComparison.OrdinalIgnoreCase))
        {
            code = "model_not_found";
            return "The model `" + model + "` does not exist or you do not have access to it.";
        }

        request = (customId, body);
        return null;
    }

    /// <summary>What one request gets: (200, null, "", body) on success; the status, code and message on failure.</summary>
    private static (int Status, string? Code, string Message, string? Body) Answer(string endpoint, JsonElement body, string requestId, long created)
    {
        string model = body.GetProperty("model").GetString()!;
        if (endpoint == EmbeddingsEndpoint)
        {
            List<string>? inputs = EmbeddingInputs(body);
            if (inputs is null)
            {
                return (400, "invalid_parameter_error", "input is required", null);
            }

            return FailMarker(string.Join("\n", inputs)) is string embedCode
                ? (400, embedCode, MessageFor(embedCode), null)
                : (200, null, string.Empty, EmbeddingBody(requestId, model, inputs));
        }

        ChatRequest request = ChatRequest.From(body)!;
        if (!request.HasMessagesArray || request.Messages.Count == 0)
        {
            return (400, "invalid_parameter_error", "messages is required", null);
        }

        if (FailMarker(request.LastUserText) is string chatCode)
        {
            return (400, chatCode, MessageFor(chatCode), null);
        }

        ChatReply reply = endpoint == TestEndpoint ? ChatReply.FromText(TestModelAnswer) : ChatHandler.DefaultReply(request, []);
        if (endpoint != TestEndpoint)
        {
            // A batch line is an ordinary chat body: response_format, thinking and max_tokens act as in real time, and a
            // line that breaks their rules fails on its own (400 invalid_parameter_error, the real-time message).
            TextGenerationRequest? text = TextGenerationRequest.From(body);
            if (text is not null && TextGenerationRules.Check(text) is string textError)
            {
                return (400, "invalid_parameter_error", textError, null);
            }

            reply = BadJsonMarker(request.LastUserText) is JsonFault fault
                ? TextGenerationReply.BadJson(reply, text, fault)
                : TextGenerationReply.Shape(reply, text);
        }

        var meta = new ChunkMeta("chatcmpl-" + requestId, created, model);
        return (200, null, string.Empty, ChatJson.Completion(meta, reply, ChatHandler.ComputeUsage(request, reply), reply.FinishReason ?? "stop"));
    }

    /// <summary>"[fail]" in the text fails the request with data_inspection_failed; "[fail:code]" with that code.</summary>
    private static string? FailMarker(string text)
    {
        Match match = FailPattern().Match(text);
        return !match.Success ? null : match.Groups[1].Success ? match.Groups[1].Value : DefaultFailCode;
    }

    /// <summary>"[badjson]" in the text breaks the JSON answer the request would get (<see cref="JsonFault.Invalid"/>);
    /// "[badjson:Truncated]" or "[badjson:SchemaViolation]" break it that way.</summary>
    private static JsonFault? BadJsonMarker(string text)
    {
        Match match = BadJsonPattern().Match(text);
        return !match.Success ? null : match.Groups[1].Success ? Enum.Parse<JsonFault>(match.Groups[1].Value) : JsonFault.Invalid;
    }

    private static string MessageFor(string code) =>
        code == DefaultFailCode ? DataInspectionMessage : "The request failed with " + code + " (test server marker).";

    private static List<string>? EmbeddingInputs(JsonElement body)
    {
        if (!body.TryGetProperty("input", out JsonElement input))
        {
            return null;
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            return [input.GetString()!];
        }

        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            return null;
        }

        var texts = new List<string>();
        foreach (JsonElement item in input.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            texts.Add(item.GetString()!);
        }

        return texts;
    }

    /// <summary>Embedding i of text t is [len(t), i, 0.5, -0.25]: the first number maps a vector back to its text.</summary>
    private static string EmbeddingBody(string requestId, string model, List<string> inputs)
    {
        var json = new JsonBuilder().BeginObject().Prop("object", "list").BeginArray("data");
        long tokens = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            tokens += inputs[i].Length;
            json.BeginObject().Prop("object", "embedding").Prop("index", i).Name("embedding")
                .Raw("[" + inputs[i].Length.ToString(CultureInfo.InvariantCulture) + "," + i.ToString(CultureInfo.InvariantCulture) + ",0.5,-0.25]")
                .EndObject();
        }

        return json.EndArray().Prop("model", model)
            .BeginObject("usage").Prop("prompt_tokens", tokens).Prop("total_tokens", tokens).EndObject()
            .Prop("id", requestId)
            .EndObject().ToString();
    }

    private static string SuccessLine(string requestId, string customId, string body)
        => new JsonBuilder().BeginObject()
            .Prop("id", requestId)
            .Prop("custom_id", customId)
            .BeginObject("response").Prop("status_code", 200).Prop("request_id", requestId).Name("body").Raw(body).EndObject()
            .PropNull("error")
            .EndObject().ToString();

    /// <summary>The two spellings the documentation shows (see <see cref="BatchErrorLineStyle"/>).</summary>
    private static string ErrorLine(string requestId, string customId, int status, string code, string message, bool codeStyle)
    {
        var json = new JsonBuilder().BeginObject().Prop("id", requestId).Prop("custom_id", customId);
        if (codeStyle)
        {
            json.BeginObject("response").Prop("status_code", status).Prop("request_id", requestId)
                .Name("body").Raw(Responses.CompatErrorJson(requestId, code, message, "invalid_request_error")).EndObject()
                .BeginObject("error").Prop("code", code).Prop("message", message).EndObject();
        }
        else
        {
            json.PropNull("response").BeginObject("error").Prop("error_code", code).Prop("error_message", message).EndObject();
        }

        return json.EndObject().ToString();
    }

    [GeneratedRegex(@"\[fail(?::([A-Za-z0-9_.]+))?\]")]
    private static partial Regex FailPattern();

    [GeneratedRegex(@"\[badjson(?::(Invalid|Truncated|SchemaViolation))?\]")]
    private static partial Regex BadJsonPattern();
}
