using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace QwenPS.Benchmarks.Decode
{
    /// <summary>Scenario 1 under BenchmarkDotNet (full mode); the quick harness calls the same methods.</summary>
    [MemoryDiagnoser]
    public class StreamDecodeBenchmarks
    {
        private byte[] _bytes = null!;
        private OpenAiSdkDecoder _sdk = null!;

        /// <summary>Text chunks in the recording; set before the run (the in-process toolchain shares statics).</summary>
        public static int Chunks { get; set; } = 100_000;

        [GlobalSetup]
        public void Setup()
        {
            _bytes = RecordedStream.Generate(Chunks).Bytes;
            _sdk = new OpenAiSdkDecoder(_bytes);
        }

        [GlobalCleanup]
        public void Cleanup() => _sdk.Dispose();

        [Benchmark(Baseline = true)]
        public async Task<int> QwenPS() => (await DecodePaths.QwenPsAsync(_bytes).ConfigureAwait(false)).Records;

        [Benchmark]
        public async Task<int> QwenPSOnSseParser() => (await DecodePaths.QwenPsOnSseParserAsync(_bytes).ConfigureAwait(false)).Records;

        [Benchmark]
        public async Task<int> OpenAISdk() => (await _sdk.DecodeAsync().ConfigureAwait(false)).Records;

        [Benchmark]
        public async Task<int> SseParserJsonDocument() => (await DecodePaths.SseParserJsonDocumentAsync(_bytes).ConfigureAwait(false)).Records;

        [Benchmark]
        public int LowerBound() => DecodePaths.LowerBound(_bytes).Records;

        [Benchmark]
        public Task<long> FramingSseReader() => DecodePaths.SseReaderFramingAsync(_bytes);

        [Benchmark]
        public Task<long> FramingSseParser() => DecodePaths.SseParserFramingAsync(_bytes);
    }
}
