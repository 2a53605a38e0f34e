using System;
using QwenPS.Files;
using Xunit;

namespace QwenPS.Tests.Documents
{
    public class FileListQueryTests
    {
        private static readonly DateTimeOffset Noon = new DateTimeOffset(2025, 11, 12, 12, 0, 0, TimeSpan.Zero);

        private static QwenFileInfo File(string id, DateTimeOffset? created, string purpose = "file-extract", string name = "a.txt") =>
            new QwenFileInfo(id, name, 1, purpose, "processed", null, created);

        [Fact]
        public void The_service_is_asked_for_a_day_more_on_each_side_in_a_documented_form()
        {
            var query = new FileListQuery { Purpose = "batch", CreatedAfter = Noon, CreatedBefore = Noon.AddHours(6), PageSize = 100 };

            Assert.Equal("limit=100&purpose=batch&create_after=20251111120000&create_before=20251113180000", query.QueryString(null));
            Assert.Equal("limit=100&purpose=batch&after=file-batch-9&create_after=20251111120000&create_before=20251113180000", query.QueryString("file-batch-9"));
        }

        [Fact]
        public void Local_times_are_converted_to_utc()
        {
            var query = new FileListQuery { CreatedAfter = new DateTimeOffset(2025, 11, 12, 8, 0, 0, TimeSpan.FromHours(8)) };
            Assert.Equal("limit=2000&create_after=20251111000000", query.QueryString(null));
        }

        [Fact]
        public void The_exact_filter_is_at_or_after_the_start_and_before_the_end()
        {
            var query = new FileListQuery { CreatedAfter = Noon, CreatedBefore = Noon.AddDays(1) };

            Assert.True(query.Matches(File("a", Noon)));
            Assert.True(query.Matches(File("b", Noon.AddDays(1).AddSeconds(-1))));
            Assert.False(query.Matches(File("c", Noon.AddSeconds(-1))));
            Assert.False(query.Matches(File("d", Noon.AddDays(1))));
            Assert.False(query.Matches(File("e", null)));
        }

        [Fact]
        public void Purpose_and_name_filter_what_the_service_returned()
        {
            var query = new FileListQuery { Purpose = "file-extract", NameMatches = name => name != null && name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) };

            Assert.True(query.Matches(File("a", Noon, name: "Report.PDF")));
            Assert.False(query.Matches(File("b", Noon, name: "notes.txt")));
            Assert.False(query.Matches(File("c", Noon, purpose: "batch", name: "x.pdf")));
            Assert.True(new FileListQuery().Matches(File("d", null)));
        }
    }
}
