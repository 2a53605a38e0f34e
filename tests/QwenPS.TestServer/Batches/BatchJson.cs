using System.Collections.Generic;
using QwenPS.TestServer.Json;

namespace QwenPS.TestServer.Batches;

/// <summary>The batch object of docs/dashscope-notes.md, "Batch" (every timestamp key present, null until it happens).</summary>
internal static class BatchJson
{
    public static string Batch(StoredBatch batch)
    {
        var json = new JsonBuilder().BeginObject()
            .Prop("id", batch.Id)
            .Prop("object", "batch")
            .Prop("endpoint", batch.Endpoint)
            .Name("errors");
        if (batch.Errors.Count == 0)
        {
            json.Null();
        }
        else
        {
            json.BeginObject().Prop("object", "list").BeginArray("data");
            foreach (BatchError error in batch.Errors)
            {
                json.BeginObject().Prop("code", error.Code).Prop("message", error.Message).PropNull("param");
                if (error.Line is int line)
                {
                    json.Prop("line", line);
                }
                else
                {
                    json.PropNull("line");
                }

                json.EndObject();
            }

            json.EndArray().EndObject();
        }

        json.Prop("input_file_id", batch.InputFileId)
            .Prop("completion_window", batch.CompletionWindow)
            .Prop("status", batch.Status)
            .Prop("output_file_id", batch.OutputFileId)
            .Prop("error_file_id", batch.ErrorFileId)
            .Prop("created_at", batch.CreatedAt);
        Time(json, "in_progress_at", batch.InProgressAt);
        json.Prop("expires_at", batch.ExpiresAt);
        Time(json, "finalizing_at", batch.FinalizingAt);
        Time(json, "completed_at", batch.CompletedAt);
        Time(json, "failed_at", batch.FailedAt);
        Time(json, "expired_at", batch.ExpiredAt);
        Time(json, "cancelling_at", batch.CancellingAt);
        Time(json, "cancelled_at", batch.CancelledAt);
        json.BeginObject("request_counts")
            .Prop("total", batch.Total)
            .Prop("completed", batch.Completed)
            .Prop("failed", batch.Failed)
            .EndObject();
        if (batch.Metadata.Count == 0)
        {
            json.PropNull("metadata");
        }
        else
        {
            json.BeginObject("metadata");
            foreach (KeyValuePair<string, string> pair in batch.Metadata)
            {
                json.Prop(pair.Key, pair.Value);
            }

            json.EndObject();
        }

        return json.EndObject().ToString();
    }

    private static void Time(JsonBuilder json, string name, long? value)
    {
        if (value is long seconds)
        {
            json.Prop(name, seconds);
        }
        else
        {
            json.PropNull(name);
        }
    }
}
