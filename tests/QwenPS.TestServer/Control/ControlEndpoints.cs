using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace QwenPS.TestServer.Control;

/// <summary>
/// /_control/* - how Pester (or anything outside the process) drives the server. No auth, not recorded.
/// Every answer is JSON; a bad spec gets 400 {"error":"…"}.
/// </summary>
internal static class ControlEndpoints
{
    public static async Task HandleAsync(DashScopeTestServer server, HttpContext context)
    {
        string path = context.Request.Path.Value ?? string.Empty;
        string method = context.Request.Method;
        try
        {
            switch (path)
            {
                case "/_control/enqueue" when method == "POST":
                    await EnqueueAsync(server, context).ConfigureAwait(false);
                    break;
                case "/_control/requests" when method == "GET":
                    await WriteAsync(context, 200, RecordingJson.Write(server.Requests)).ConfigureAwait(false);
                    break;
                case "/_control/reset" when method == "POST":
                    server.Reset();
                    await WriteAsync(context, 200, Object(json => json.WriteBoolean("ok", true))).ConfigureAwait(false);
                    break;
                case "/_control/stats" when method == "GET":
                    await WriteAsync(context, 200, Object(json =>
                    {
                        json.WriteNumber("requestCount", server.Requests.Count);
                        json.WriteNumber("connectionCount", server.ConnectionCount);
                        json.WriteNumber("activeRequests", server.ActiveRequests);
                        json.WriteNumber("pendingBehaviors", server.PendingBehaviors);
                        json.WriteNumber("fileCount", server.Files.Count);
                    })).ConfigureAwait(false);
                    break;
                case "/_control/config" when method == "POST":
                    await ConfigureAsync(server, context).ConfigureAwait(false);
                    break;
                case "/_control/batches" when method is "GET" or "POST":
                    await Batches.BatchControl.HandleAsync(server, context).ConfigureAwait(false);
                    break;
                case "/_control/shutdown" when method == "POST":
                    // Stop only after this answer has gone out, so the caller gets its 200.
                    context.Response.OnCompleted(() =>
                    {
                        server.RequestShutdown();
                        return Task.CompletedTask;
                    });
                    await WriteAsync(context, 200, Object(json => json.WriteBoolean("ok", true))).ConfigureAwait(false);
                    break;
                default:
                    if (Documents.FileControl.TryHandle(server, context, path) is Task files)
                    {
                        await files.ConfigureAwait(false);
                        break;
                    }

                    await ErrorAsync(context, 404, "Unknown control endpoint: " + method + " " + path).ConfigureAwait(false);
                    break;
            }
        }
        catch (BehaviorSpecException ex)
        {
            await ErrorAsync(context, 400, ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or ArgumentException)
        {
            await ErrorAsync(context, 400, "Invalid control request: " + ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Client went away.
        }
    }

    private static async Task EnqueueAsync(DashScopeTestServer server, HttpContext context)
    {
        using JsonDocument document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
        // Parse everything first so a bad item in an array enqueues nothing.
        List<(ServerBehavior Behavior, int Times)> parsed = BehaviorJson.ParseMany(document.RootElement);
        foreach ((ServerBehavior behavior, int times) in parsed)
        {
            server.Enqueue(behavior, times);
        }

        await WriteAsync(context, 200, Object(json => json.WriteNumber("pendingBehaviors", server.PendingBehaviors))).ConfigureAwait(false);
    }

    /// <summary>{"expectedApiKey","processingPolls","finalStatus","finalStatusDetails","maxKeptBytes"}: only the
    /// properties present are applied ("expectedApiKey": null turns the check off).</summary>
    private static async Task ConfigureAsync(DashScopeTestServer server, HttpContext context)
    {
        using JsonDocument document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BehaviorSpecException("The config must be a JSON object.");
        }

        foreach (JsonProperty property in root.EnumerateObject())
        {
            JsonElement value = property.Value;
            switch (property.Name.ToLowerInvariant())
            {
                case "expectedapikey":
                    server.ExpectedApiKey = value.ValueKind == JsonValueKind.Null ? null : value.GetString();
                    break;
                case "processingpolls":
                    server.Files.ProcessingPolls = value.GetInt32();
                    break;
                case "finalstatus":
                    server.Files.FinalStatus = value.GetString() ?? "processed";
                    break;
                case "finalstatusdetails":
                    server.Files.FinalStatusDetails = value.ValueKind == JsonValueKind.Null ? null : value.GetString();
                    break;
                case "maxkeptbytes":
                    server.Files.MaxKeptBytes = value.GetInt64();
                    break;
                case "uploadpiecedelayms":
                    server.Files.UploadPieceDelay = TimeSpan.FromMilliseconds(value.GetInt32());
                    break;
                default:
                    throw new BehaviorSpecException("Unknown config property: " + property.Name + ".");
            }
        }

        await WriteAsync(context, 200, Object(json =>
        {
            json.WriteString("expectedApiKey", server.ExpectedApiKey);
            json.WriteNumber("processingPolls", server.Files.ProcessingPolls);
            json.WriteString("finalStatus", server.Files.FinalStatus);
            json.WriteString("finalStatusDetails", server.Files.FinalStatusDetails);
            json.WriteNumber("maxKeptBytes", server.Files.MaxKeptBytes);
            json.WriteNumber("uploadPieceDelayMs", (int)server.Files.UploadPieceDelay.TotalMilliseconds);
        })).ConfigureAwait(false);
    }

    private static Task ErrorAsync(HttpContext context, int status, string message)
        => WriteAsync(context, status, Object(json => json.WriteString("error", message)));

    internal static byte[] Object(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, RecordingJson.WriterOptions))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    internal static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
