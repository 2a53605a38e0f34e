using System;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QwenPS.TestServer.Control;

namespace QwenPS.TestServer.Batches;

/// <summary>
/// /_control/batches: POST sets the batch settings (only the properties present; unknown ones are rejected),
/// GET lists the batches with their lifecycle state, so a test can see e.g. that nothing cancelled a batch.
/// </summary>
internal static class BatchControl
{
    public static async Task HandleAsync(DashScopeTestServer server, HttpContext context)
    {
        BatchStore store = server.Batches;
        if (context.Request.Method == "POST")
        {
            using JsonDocument document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new BehaviorSpecException("The batch settings must be a JSON object.");
            }

            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                switch (property.Name.ToLowerInvariant())
                {
                    case "inprogresspolls":
                        store.InProgressPolls = property.Value.GetInt32();
                        break;
                    case "outcome":
                        store.Outcome = Parse<BatchOutcome>(property);
                        break;
                    case "outputorder":
                        store.OutputOrder = Parse<BatchOutputOrder>(property);
                        break;
                    case "errorlinestyle":
                        store.ErrorLineStyle = Parse<BatchErrorLineStyle>(property);
                        break;
                    default:
                        throw new BehaviorSpecException("Unknown batch setting: " + property.Name + ".");
                }
            }
        }

        await ControlEndpoints.WriteAsync(context, 200, ControlEndpoints.Object(json =>
        {
            json.WriteNumber("inProgressPolls", store.InProgressPolls);
            json.WriteString("outcome", store.Outcome.ToString());
            json.WriteString("outputOrder", store.OutputOrder.ToString());
            json.WriteString("errorLineStyle", store.ErrorLineStyle.ToString());
            json.WriteStartArray("batches");
            foreach (StoredBatch batch in store.List())
            {
                json.WriteStartObject();
                json.WriteString("id", batch.Id);
                json.WriteString("status", batch.Status);
                json.WriteNumber("polls", batch.Polls);
                json.WriteBoolean("cancelRequested", batch.CancelRequested);
                json.WriteString("inputFileId", batch.InputFileId);
                json.WriteString("outputFileId", batch.OutputFileId);
                json.WriteString("errorFileId", batch.ErrorFileId);
                json.WriteNumber("total", batch.Total);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        })).ConfigureAwait(false);
    }

    private static T Parse<T>(JsonProperty property)
        where T : struct, Enum
    {
        string text = property.Value.GetString() ?? string.Empty;
        // "error_code" and "ErrorCode" both name BatchErrorLineStyle.ErrorCode.
        return Enum.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out T value) && Enum.IsDefined(value)
            ? value
            : throw new BehaviorSpecException("Invalid " + property.Name + ": '" + text + "'. Values: " + string.Join(", ", Enum.GetNames<T>()) + ".");
    }
}
