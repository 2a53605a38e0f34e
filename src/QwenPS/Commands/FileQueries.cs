using System;
using System.Management.Automation;
using QwenPS.Files;

namespace QwenPS.Commands
{
    /// <summary>The Files list filters of Get-QwenFile and Remove-QwenFile, from their parameters.</summary>
    internal static class FileQueries
    {
        public static FileListQuery Build(string? purpose, string? after, DateTime? createdAfter, DateTime? createdBefore, string? fileName, int pageSize)
        {
            if (createdAfter.HasValue && createdBefore.HasValue && ToOffset(createdAfter.Value) >= ToOffset(createdBefore.Value))
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-CreatedAfter must be earlier than -CreatedBefore.") { Target = createdAfter };
            }

            WildcardPattern? name = fileName == null ? null : WildcardPattern.Get(fileName, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            return new FileListQuery
            {
                Purpose = purpose,
                After = after,
                CreatedAfter = createdAfter.HasValue ? ToOffset(createdAfter.Value) : (DateTimeOffset?)null,
                CreatedBefore = createdBefore.HasValue ? ToOffset(createdBefore.Value) : (DateTimeOffset?)null,
                NameMatches = name == null ? null : (Func<string?, bool>)(n => n != null && name.IsMatch(n)),
                PageSize = pageSize,
            };
        }

        /// <summary>A PowerShell date: one without a kind ([datetime]'2025-11-12') is local time, as Get-Date's are.</summary>
        public static DateTimeOffset ToOffset(DateTime value) =>
            new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Local) : value);
    }
}
