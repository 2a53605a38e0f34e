using System;
using System.Collections.Generic;
using System.Text.Json;
using QwenPS.Batch.Wire;
using QwenPS.Transport;

namespace QwenPS.Batch
{
    /// <summary>The batch object as the public <see cref="QwenBatch"/>; unknown statuses and odd shapes are kept, not rejected.</summary>
    internal static class BatchMapper
    {
        public const string NameKey = "ds_name";
        public const string DescriptionKey = "ds_description";

        private static readonly string[] WireStatuses = { "validating", "in_progress", "finalizing", "completed", "failed", "expired", "cancelling", "cancelled" };

        public static string WireStatus(QwenBatchStatus status) => WireStatuses[(int)status];

        public static QwenBatchStatus? ParseStatus(string? status)
        {
            int index = Array.IndexOf(WireStatuses, status?.Trim().ToLowerInvariant());
            return index < 0 ? (QwenBatchStatus?)null : (QwenBatchStatus)index;
        }

        public static QwenBatch ToBatch(WireBatch wire, object target, string? requestId)
        {
            if (string.IsNullOrEmpty(wire.Id))
            {
                throw new QwenException(QwenErrorIds.UnexpectedResponse, QwenErrorCategory.ProtocolError, "The service returned a batch object without an id.") { Target = target, RequestId = requestId };
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (wire.Metadata != null)
            {
                foreach (KeyValuePair<string, JsonElement> pair in wire.Metadata)
                {
                    metadata[pair.Key] = pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString() ?? string.Empty : pair.Value.GetRawText();
                }
            }

            metadata.TryGetValue(NameKey, out string? name);
            metadata.TryGetValue(DescriptionKey, out string? description);
            return new QwenBatch(wire.Id!, ParseStatus(wire.Status), wire.Status)
            {
                Name = name,
                Description = description,
                Endpoint = wire.Endpoint,
                CompletionWindow = wire.CompletionWindow,
                InputFileId = wire.InputFileId,
                OutputFileId = NullIfEmpty(wire.OutputFileId),
                ErrorFileId = NullIfEmpty(wire.ErrorFileId),
                Total = wire.RequestCounts?.Total ?? 0,
                Completed = wire.RequestCounts?.Completed ?? 0,
                Failed = wire.RequestCounts?.Failed ?? 0,
                CreatedAt = UnixTime.FromSeconds(wire.CreatedAt),
                InProgressAt = UnixTime.FromSeconds(wire.InProgressAt),
                FinalizingAt = UnixTime.FromSeconds(wire.FinalizingAt),
                CompletedAt = UnixTime.FromSeconds(wire.CompletedAt),
                FailedAt = UnixTime.FromSeconds(wire.FailedAt),
                ExpiredAt = UnixTime.FromSeconds(wire.ExpiredAt),
                ExpiresAt = UnixTime.FromSeconds(wire.ExpiresAt),
                CancellingAt = UnixTime.FromSeconds(wire.CancellingAt),
                CancelledAt = UnixTime.FromSeconds(wire.CancelledAt),
                Errors = Errors(wire.Errors),
                Metadata = metadata,
                RequestId = requestId,
            };
        }

        /// <summary>The OpenAI shape <c>{"data":[{"code","message","line"}]}</c>, a bare array, or one object.</summary>
        private static IReadOnlyList<QwenBatchError> Errors(JsonElement? errors)
        {
            var list = new List<QwenBatchError>();
            if (!errors.HasValue)
            {
                return list;
            }

            JsonElement root = errors.Value;
            JsonElement items = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out JsonElement data) ? data : root;
            if (items.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in items.EnumerateArray())
                {
                    Add(list, item);
                }
            }
            else if (items.ValueKind == JsonValueKind.Object)
            {
                Add(list, items);
            }

            return list;
        }

        private static void Add(List<QwenBatchError> list, JsonElement item)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            int? line = item.TryGetProperty("line", out JsonElement l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out int n) ? n : (int?)null;
            list.Add(new QwenBatchError(Text(item, "code") ?? Text(item, "error_code"), Text(item, "message") ?? Text(item, "error_message"), line));
        }

        private static string? Text(JsonElement item, string name) =>
            item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}
