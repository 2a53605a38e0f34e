using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Streaming;

namespace QwenPS.Tests.Support
{
    /// <summary>Every event an <see cref="SseReader"/> hands out for these bytes, read <c>maxRead</c> bytes at a time.</summary>
    internal static class SseEvents
    {
        public static async Task<List<string>> ReadAllAsync(byte[] bytes, int maxRead = int.MaxValue, int bufferSize = 16 * 1024, int maxEvent = SseReader.DefaultMaxEventBytes)
        {
            var events = new List<string>();
            using var reader = new SseReader(new ChunkedStream(bytes, maxRead), bufferSize, maxEvent);
            while (await reader.ReadEventAsync(CancellationToken.None))
            {
                events.Add(Encoding.UTF8.GetString(reader.Data));
            }

            return events;
        }
    }
}
