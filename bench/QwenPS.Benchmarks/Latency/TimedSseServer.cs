using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Benchmarks.Decode;

namespace QwenPS.Benchmarks.Latency
{
    /// <summary>
    /// A minimal HTTP/1.1 SSE server on a raw socket that takes a Stopwatch timestamp just before it sends each
    /// text chunk (same process, same clock as the client), which the Kestrel test server cannot tell. Each
    /// chat request gets: headers and the role chunk at once, then <c>chunks</c> reasoning/content chunks, the
    /// first at once and the others <c>interval</c> apart, each in its own send, then finish, usage, [DONE].
    /// Nagle is off, as on Kestrel, so every chunk leaves in its own segment.
    /// </summary>
    internal sealed class TimedSseServer : IDisposable
    {
        private static readonly byte[] Headers = Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nx-request-id: bench\r\n\r\n");

        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly int _chunks;
        private readonly TimeSpan _interval;
        private readonly byte[][] _events;
        private readonly byte[] _tail;

        public TimedSseServer(int chunks, TimeSpan interval)
        {
            _chunks = chunks;
            _interval = interval;
            _events = new byte[chunks][];
            for (int i = 0; i < chunks; i++)
            {
                string text = "tok" + i.ToString(CultureInfo.InvariantCulture) + " ";
                _events[i] = HttpChunk(RecordedStream.Event(i < chunks / 2 ? RecordedStream.ReasoningChunk(text) : RecordedStream.ContentChunk(text)));
            }

            _tail = Concat(
                HttpChunk(RecordedStream.Event(RecordedStream.FinishChunk()) + RecordedStream.Event(RecordedStream.UsageChunk(3, chunks, chunks / 2)) + RecordedStream.Event("[DONE]")),
                Encoding.ASCII.GetBytes("0\r\n\r\n"));
            _listener.Start();
            int port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            BaseUri = new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + "/compatible-mode/v1");
            _ = AcceptAsync();
        }

        public Uri BaseUri { get; }

        /// <summary>Stopwatch timestamps of the text chunk sends of the stream last finished.</summary>
        public long[] LastWrites { get; private set; } = Array.Empty<long>();

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                _ = ServeAsync(socket);
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            socket.NoDelay = true;
            using (socket)
            {
                var input = new byte[64 * 1024];
                int filled = 0;
                try
                {
                    while (true)
                    {
                        // One request: headers up to the blank line, then Content-Length bytes of body (discarded).
                        int headerEnd;
                        while ((headerEnd = IndexOf(input, filled, "\r\n\r\n"u8)) < 0)
                        {
                            int read = await socket.ReceiveAsync(input.AsMemory(filled), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                            if (read == 0)
                            {
                                return;
                            }

                            filled += read;
                        }

                        int bodyStart = headerEnd + 4;
                        int total = bodyStart + ContentLength(Encoding.ASCII.GetString(input, 0, headerEnd));
                        while (filled < total)
                        {
                            int read = await socket.ReceiveAsync(input.AsMemory(filled), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                            if (read == 0)
                            {
                                return;
                            }

                            filled += read;
                        }

                        Buffer.BlockCopy(input, total, input, 0, filled - total);
                        filled -= total;
                        await StreamAsync(socket).ConfigureAwait(false);
                    }
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                }
                catch (SocketException)
                {
                }
            }
        }

        private async Task StreamAsync(Socket socket)
        {
            var writes = new long[_chunks];
            LastWrites = writes; // filled below, all before the tail that ends the client's read
            socket.Send(Concat(Headers, HttpChunk(RecordedStream.Event(RecordedStream.RoleChunk()))));
            long next = Stopwatch.GetTimestamp();
            for (int i = 0; i < _chunks; i++)
            {
                if (i > 0)
                {
                    next += (long)(_interval.TotalSeconds * Stopwatch.Frequency);
                    TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
                    }
                }

                writes[i] = Stopwatch.GetTimestamp();
                socket.Send(_events[i]);
            }

            socket.Send(_tail);
        }

        private static int ContentLength(string headers)
        {
            foreach (string line in headers.Split("\r\n"))
            {
                if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
                {
                    return int.Parse(line.AsSpan(15).Trim(), CultureInfo.InvariantCulture);
                }
            }

            return 0;
        }

        private static int IndexOf(byte[] buffer, int length, ReadOnlySpan<byte> value) => buffer.AsSpan(0, length).IndexOf(value);

        private static byte[] HttpChunk(string payload)
        {
            byte[] data = Encoding.UTF8.GetBytes(payload);
            return Concat(Encoding.ASCII.GetBytes(data.Length.ToString("X", CultureInfo.InvariantCulture) + "\r\n"), data, "\r\n"u8.ToArray());
        }

        private static byte[] Concat(params byte[][] parts)
        {
            var output = new MemoryStream();
            foreach (byte[] part in parts)
            {
                output.Write(part, 0, part.Length);
            }

            return output.ToArray();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
