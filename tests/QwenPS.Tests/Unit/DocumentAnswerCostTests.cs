using QwenPS.Catalog;
using Xunit;

namespace QwenPS.Tests.Unit
{
    public class DocumentAnswerCostTests
    {
        [Fact]
        public void A_document_answer_shows_the_cost_of_its_call_and_none_without_usage()
        {
            var usage = new QwenUsage(1_000_000, 1_000_000, 2_000_000, null, null);
            UsagePricing.Price(usage, "qwen-long", QwenRegion.Beijing);
            var priced = new QwenDocumentAnswer("/r/a.pdf", "a.pdf", "file-fe-1", false, "answer", null, usage, "qwen-long", "req-1", null, null);
            var failed = new QwenDocumentAnswer("/r/b.pdf", "b.pdf", null, false, null, null, null, null, null, "broken", "FileProcessingFailed");

            Assert.Equal(2.5m, priced.Cost!.Amount);
            Assert.Equal("CNY", priced.Cost.Currency);
            Assert.Null(failed.Cost);
        }
    }
}
