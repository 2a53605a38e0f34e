using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QwenPS.TestServer.Control;
using QwenPS.TestServer.Files;

namespace QwenPS.TestServer.Documents;

/// <summary>
/// Two control endpoints for the Files API (README "Documents: file rules and seeded files"):
/// POST /_control/files seeds stored files; GET or POST /_control/file-rules reads or changes <see cref="FileRules"/>.
/// Unknown properties are refused, as everywhere under /_control.
/// </summary>
internal static class FileControl
{
    public const string FilesPath = "/_control/files";
    public const string RulesPath = "/_control/file-rules";

    /// <summary>Handles the request when it is one of ours; null otherwise.</summary>
    public static Task? TryHandle(DashScopeTestServer server, HttpContext context, string path)
    {
        string method = context.Request.Method;
        if (path == FilesPath && method == "POST")
        {
            return SeedAsync(server, context);
        }

        if (path == RulesPath && method == "POST")
        {
            return ConfigureAsync(server, context);
        }

        if (path == RulesPath && method == "GET")
        {
            return WriteAsync(context, Encoding.UTF8.GetBytes(RulesJson(server.Files.Rules)));
        }

        return null;
    }

    /// <summary>One spec or an array: {"id","filename","text"|"base64","purpose","status","statusDetails","createdAt","processingMs"}.</summary>
    private static async Task SeedAsync(DashScopeTestServer server, HttpContext context)
    {
        using JsonDocument document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
        var specs = new List<JsonElement>();
        if (document.RootElement.ValueKind == JsonValueKind.Array)
        {
            specs.AddRange(document.RootElement.EnumerateArray());
        }
        else
        {
            specs.Add(document.RootElement);
        }

        // Read every spec before seeding any, so a bad item seeds nothing.
        var seeds = new List<Seed>();
        foreach (JsonElement spec in specs)
        {
            seeds.Add(ReadSeed(spec));
        }

        var json = new StringBuilder("[");
        foreach (Seed seed in seeds)
        {
            StoredFile file = server.Files.Add(seed.Id, seed.FileName, seed.Content, seed.Timer is null ? seed.Status : "processing", seed.Purpose,
                seed.Timer is null ? seed.StatusDetails : null, seed.CreatedAt);
            if (seed.Timer is TimeSpan timer)
            {
                server.Files.Rules.StartTimer(file.Id, DateTimeOffset.UtcNow + timer, seed.Status, seed.StatusDetails);
            }

            json.Append(json.Length > 1 ? "," : string.Empty).Append(FilesHandler.FileObject(file));
        }

        await WriteAsync(context, Encoding.UTF8.GetBytes(json.Append(']').ToString())).ConfigureAwait(false);
    }

    private static Seed ReadSeed(JsonElement spec)
    {
        var props = Properties(spec, "file", "id", "filename", "text", "base64", "purpose", "status", "statusDetails", "createdAt", "processingMs");
        string purpose = String(props, "purpose") ?? "file-extract";
        string id = String(props, "id") ?? IdPrefix(purpose) + Guid.NewGuid().ToString("N");
        string fileName = String(props, "filename") ?? throw new BehaviorSpecException("'filename' is required in a file.");
        string? text = String(props, "text");
        string? base64 = String(props, "base64");
        if ((text is null) == (base64 is null))
        {
            throw new BehaviorSpecException("A file takes exactly one of 'text' and 'base64'.");
        }

        byte[] content = text is not null ? Encoding.UTF8.GetBytes(text) : Convert.FromBase64String(base64!);
        DateTimeOffset? createdAt = props.TryGetValue("createdat", out JsonElement created)
            ? created.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeSeconds(created.GetInt64()) : created.GetDateTimeOffset()
            : null;
        TimeSpan? timer = props.TryGetValue("processingms", out JsonElement ms) ? TimeSpan.FromMilliseconds(ms.GetInt32()) : null;
        return new Seed(id, fileName, content, purpose, String(props, "status") ?? "processed", String(props, "statusDetails"), createdAt, timer);
    }

    private static string IdPrefix(string purpose) => purpose switch
    {
        "batch" => "file-batch-",
        "batch_output" => "file-batch_output-",
        _ => "file-fe-",
    };

    /// <summary>{"processingTimeMs","uploadsPerSecond","uploadRetryAfterMs","downloadOnlyBatchResults","clearRules","rules":[…]}.</summary>
    private static async Task ConfigureAsync(DashScopeTestServer server, HttpContext context)
    {
        using JsonDocument document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
        var props = Properties(document.RootElement, "file rules", "processingTimeMs", "uploadsPerSecond", "uploadRetryAfterMs",
            "downloadOnlyBatchResults", "clearRules", "rules");
        var rules = new List<FileRule>();
        if (props.TryGetValue("rules", out JsonElement list))
        {
            foreach (JsonElement item in list.EnumerateArray())
            {
                var rule = Properties(item, "rule", "fileName", "processingMs", "finalStatus", "statusDetails");
                rules.Add(new FileRule(
                    String(rule, "fileName") ?? throw new BehaviorSpecException("'fileName' is required in a rule."),
                    rule.TryGetValue("processingms", out JsonElement ms) ? TimeSpan.FromMilliseconds(ms.GetInt32()) : TimeSpan.Zero,
                    String(rule, "finalStatus") ?? "processed",
                    String(rule, "statusDetails")));
            }
        }

        FileRules target = server.Files.Rules;
        if (props.TryGetValue("clearrules", out JsonElement clear) && clear.GetBoolean())
        {
            target.Reset();
        }

        if (props.TryGetValue("processingtimems", out JsonElement processing))
        {
            target.ProcessingTime = TimeSpan.FromMilliseconds(processing.GetInt32());
        }

        if (props.TryGetValue("uploadspersecond", out JsonElement rate))
        {
            target.UploadsPerSecond = rate.GetInt32();
        }

        if (props.TryGetValue("uploadretryafterms", out JsonElement retry))
        {
            target.UploadRetryAfter = retry.ValueKind == JsonValueKind.Null ? null : TimeSpan.FromMilliseconds(retry.GetInt32());
        }

        if (props.TryGetValue("downloadonlybatchresults", out JsonElement download))
        {
            target.DownloadOnlyBatchResults = download.GetBoolean();
        }

        foreach (FileRule rule in rules)
        {
            target.Add(rule);
        }

        await WriteAsync(context, Encoding.UTF8.GetBytes(RulesJson(target))).ConfigureAwait(false);
    }

    private static string RulesJson(FileRules rules)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, RecordingJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("processingTimeMs", (long)rules.ProcessingTime.TotalMilliseconds);
            json.WriteNumber("uploadsPerSecond", rules.UploadsPerSecond);
            if (rules.UploadRetryAfter is TimeSpan wait)
            {
                json.WriteNumber("uploadRetryAfterMs", (long)wait.TotalMilliseconds);
            }
            else
            {
                json.WriteNull("uploadRetryAfterMs");
            }

            json.WriteBoolean("downloadOnlyBatchResults", rules.DownloadOnlyBatchResults);
            json.WriteNumber("throttledUploads", rules.ThrottledUploads);
            json.WriteStartArray("rules");
            foreach (FileRule rule in rules.Rules)
            {
                json.WriteStartObject();
                json.WriteString("fileName", rule.FileName);
                json.WriteNumber("processingMs", (long)rule.ProcessingTime.TotalMilliseconds);
                json.WriteString("finalStatus", rule.FinalStatus);
                json.WriteString("statusDetails", rule.StatusDetails);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The object's properties by lower-case name; any name not in <paramref name="allowed"/> is refused.</summary>
    private static Dictionary<string, JsonElement> Properties(JsonElement element, string what, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new BehaviorSpecException("A " + what + " must be a JSON object.");
        }

        var known = new HashSet<string>(allowed, StringComparer.OrdinalIgnoreCase);
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw new BehaviorSpecException("Unknown property in a " + what + ": " + property.Name + ".");
            }

            result[property.Name.ToLowerInvariant()] = property.Value;
        }

        return result;
    }

    private static string? String(Dictionary<string, JsonElement> props, string name)
        => props.TryGetValue(name.ToLowerInvariant(), out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BehaviorSpecException("'" + name + "' must be a string.")
            : null;

    private static async Task WriteAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed record Seed(string Id, string FileName, byte[] Content, string Purpose, string Status, string? StatusDetails,
        DateTimeOffset? CreatedAt, TimeSpan? Timer);
}
