using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace QwenPS.Batch
{
    /// <summary>Get-QwenBatch's list filters as DashScope's query parameters (docs/dashscope-notes.md, "Batch").</summary>
    internal sealed class BatchListFilter
    {
        public string? Name { get; set; }

        public IReadOnlyList<QwenBatchStatus>? Statuses { get; set; }

        public IReadOnlyList<string>? InputFileIds { get; set; }

        public DateTime? CreatedAfter { get; set; }

        public DateTime? CreatedBefore { get; set; }

        public string Query(int pageSize, string? after)
        {
            var query = new List<string> { "limit=" + pageSize.ToString(CultureInfo.InvariantCulture) };
            if (after != null)
            {
                query.Add("after=" + Uri.EscapeDataString(after));
            }

            if (!string.IsNullOrEmpty(Name))
            {
                query.Add("ds_name=" + Uri.EscapeDataString(Name));
            }

            if (InputFileIds != null && InputFileIds.Count > 0)
            {
                query.Add("input_file_ids=" + Uri.EscapeDataString(string.Join(",", InputFileIds)));
            }

            if (Statuses != null && Statuses.Count > 0)
            {
                query.Add("status=" + Uri.EscapeDataString(string.Join(",", Statuses.Select(BatchMapper.WireStatus).Distinct())));
            }

            if (CreatedAfter.HasValue)
            {
                query.Add("create_after=" + Time(CreatedAfter.Value));
            }

            if (CreatedBefore.HasValue)
            {
                query.Add("create_before=" + Time(CreatedBefore.Value));
            }

            return string.Join("&", query);
        }

        /// <summary>yyyyMMddHHmmss in UTC: the documentation names no time zone (docs/dashscope-notes.md).</summary>
        private static string Time(DateTime time) =>
            (time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Local) : time).ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
    }
}
