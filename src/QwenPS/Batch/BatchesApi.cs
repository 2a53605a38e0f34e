using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Batch.Wire;
using QwenPS.Transport;

namespace QwenPS.Batch
{
    /// <summary>
    /// The <c>/batches</c> endpoint (docs/dashscope-notes.md, "Batch"): create, retrieve, list (following pages, with
    /// DashScope's filters) and cancel. It owns the Batch wire parsing; retries, timeouts, error bodies and redaction
    /// are the transport's.
    /// </summary>
    internal sealed class BatchesApi
    {
        private readonly QwenTransport _transport;

        public BatchesApi(QwenTransport transport)
        {
            _transport = transport;
        }

        public async Task<QwenBatch> CreateAsync(string inputFileId, string endpoint, string completionWindow, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
        {
            byte[] body = CreateBody(inputFileId, endpoint, completionWindow, metadata);
            Uri uri = _transport.Endpoint("/batches");
            using (HttpResponseMessage response = await _transport.SendAsync(() => Json(HttpMethod.Post, uri, body), inputFileId, cancellationToken).ConfigureAwait(false))
            {
                return await ReadBatchAsync(response, inputFileId, cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task<QwenBatch> GetAsync(string batchId, CancellationToken cancellationToken)
        {
            Uri uri = BatchUri(batchId, null);
            using (HttpResponseMessage response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), batchId, cancellationToken).ConfigureAwait(false))
            {
                return await ReadBatchAsync(response, batchId, cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task<QwenBatch> CancelAsync(string batchId, CancellationToken cancellationToken)
        {
            Uri uri = BatchUri(batchId, "/cancel");
            using (HttpResponseMessage response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, uri), batchId, cancellationToken).ConfigureAwait(false))
            {
                QwenBatch batch = await ReadBatchAsync(response, batchId, cancellationToken).ConfigureAwait(false);
                _transport.Verbose("Cancel requested for " + batchId + "; status " + batch.Status + ".");
                return batch;
            }
        }

        /// <summary>
        /// Lists batches newest first, following <c>has_more</c>, handing each to <paramref name="onBatch"/> as its page
        /// arrives; <paramref name="first"/> (0: all) stops early.
        /// </summary>
        public async Task<int> ListAsync(BatchListFilter filter, int pageSize, int first, Action<QwenBatch> onBatch, CancellationToken cancellationToken)
        {
            string? after = null;
            int count = 0;
            while (true)
            {
                Uri uri = new Uri(_transport.Endpoint("/batches").AbsoluteUri + "?" + filter.Query(pageSize, after));
                WireBatchList list;
                using (HttpResponseMessage response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), "batches", cancellationToken).ConfigureAwait(false))
                {
                    list = await _transport.ReadJsonAsync(response, BatchesJsonContext.Default.WireBatchList, "batches", cancellationToken).ConfigureAwait(false);
                }

                string? last = null;
                foreach (WireBatch wire in list.Data ?? new List<WireBatch>())
                {
                    QwenBatch batch = BatchMapper.ToBatch(wire, "batches", null);
                    last = batch.Id;
                    onBatch(batch);
                    count++;
                    if (first > 0 && count >= first)
                    {
                        return count;
                    }
                }

                last = list.LastId ?? last;
                if (!list.HasMore || last == null || last == after)
                {
                    return count;
                }

                after = last;
            }
        }

        internal static byte[] CreateBody(string inputFileId, string endpoint, string completionWindow, IReadOnlyDictionary<string, string> metadata)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    json.WriteStartObject();
                    json.WriteString("input_file_id", inputFileId);
                    json.WriteString("endpoint", endpoint);
                    json.WriteString("completion_window", completionWindow);
                    if (metadata.Count > 0)
                    {
                        json.WritePropertyName("metadata");
                        json.WriteStartObject();
                        foreach (KeyValuePair<string, string> pair in metadata)
                        {
                            json.WriteString(pair.Key, pair.Value);
                        }

                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                }

                return buffer.ToArray();
            }
        }

        private static HttpRequestMessage Json(HttpMethod method, Uri uri, byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return new HttpRequestMessage(method, uri) { Content = content };
        }

        private async Task<QwenBatch> ReadBatchAsync(HttpResponseMessage response, object target, CancellationToken cancellationToken)
        {
            WireBatch wire = await _transport.ReadJsonAsync(response, BatchesJsonContext.Default.WireBatch, target, cancellationToken).ConfigureAwait(false);
            return BatchMapper.ToBatch(wire, target, _transport.RequestIdOf(response));
        }

        private Uri BatchUri(string batchId, string? suffix) => _transport.Endpoint("/batches/" + Uri.EscapeDataString(batchId) + suffix);
    }
}
