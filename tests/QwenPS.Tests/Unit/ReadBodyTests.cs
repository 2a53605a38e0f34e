using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using QwenPS.Tests.Support;

namespace QwenPS.Tests.Unit
{
    /// <summary>
    /// QwenTransport.ReadBodyAsync sizes its buffer from Content-Length and hands that buffer out without a copy
    /// when it is exactly full (docs/performance.md, scenario 4). Whatever the header says, the bytes returned are
    /// the body's bytes, no more: a buffer that grew past the body must be copied out, not handed out.
    /// </summary>
    public class ReadBodyTests
    {
        private static async Task<byte[]> ReadAsync(HttpContent content)
        {
            using var http = new HttpClient();
            TestClient test = ServerFixture.CreateClient(http, new Uri("https://dashscope.invalid/compatible-mode/v1"), "sk-test");
            using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
            return await test.Client.Transport.ReadBodyAsync(response, 1024 * 1024, "target", CancellationToken.None);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(3)]
        [InlineData(300)]
        [InlineData(70_000)]
        public async Task A_body_without_Content_Length_comes_back_exactly(int size)
        {
            byte[] body = Enumerable.Range(0, size).Select(i => (byte)('a' + (i % 26))).ToArray();

            // A stream that cannot tell its length, as a chunked response is read.
            byte[] read = await ReadAsync(new StreamContent(new UnseekableStream(body)));

            Assert.Null(new StreamContent(new UnseekableStream(body)).Headers.ContentLength);
            Assert.Equal(body, read);
        }

        [Theory]
        [InlineData(3)]
        [InlineData(70_000)]
        public async Task A_body_with_Content_Length_comes_back_exactly(int size)
        {
            byte[] body = Encoding.ASCII.GetBytes(new string('x', size));

            byte[] read = await ReadAsync(new ByteArrayContent(body));

            Assert.Equal(body, read);
        }
    }
}
