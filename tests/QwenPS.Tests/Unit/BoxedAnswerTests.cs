using QwenPS;
using Xunit;

namespace QwenPS.Tests.Unit
{
    public sealed class BoxedAnswerTests
    {
        [Theory]
        [InlineData(@"The roots are 2 and 3, so $\boxed{2, 3}$.", "2, 3")]
        [InlineData(@"Step \boxed{1}. The final answer is \boxed{\frac{3}{2}}.", @"\frac{3}{2}")]
        [InlineData(@"\boxed{ \sqrt{\frac{a}{b}} + \{x\} }", @"\sqrt{\frac{a}{b}} + \{x\}")]
        [InlineData(@"so \boxed {42}", "42")]
        [InlineData(@"first \boxed{7} then a cut \boxed{\frac{1}{", "7")]
        [InlineData("x = 5, no box here", null)]
        [InlineData(@"\boxed without braces", null)]
        [InlineData("", null)]
        [InlineData(null, null)]
        [InlineData(@"答案是 \boxed{\text{三}}。", @"\text{三}")]
        public void Extract_takes_the_last_complete_box_with_nested_braces(string? text, string? expected)
        {
            Assert.Equal(expected, BoxedAnswer.Extract(text));
        }
    }
}
