using System;
using System.Collections.Generic;
using System.Text;
using QwenPS.Chat.Wire;
using QwenPS.Omni;
using QwenPS.Streaming;
using QwenPS.Transport;

namespace QwenPS.Chat
{
    /// <summary>
    /// Turns the SSE data payloads of one chat stream into records (reasoning and content chunks, then
    /// usage, in arrival order) and accumulates the aggregated response: text is concatenated, tool-call
    /// fragments are joined by index (an empty id means "same call"), the first chunk gives id and model.
    /// A spoken answer (Qwen-Omni) goes piece by piece into the <see cref="AudioAnswerFile"/> and is not kept.
    /// </summary>
    internal sealed class ChatStreamAggregator : IDisposable
    {
        private static readonly byte[] DoneMarker = Encoding.ASCII.GetBytes("[DONE]");

        private readonly ChatChunk _chunk = new ChatChunk();
        private readonly PooledText _content = new PooledText();
        private readonly AudioAnswerFile? _audio;
        private PooledText? _reasoning;
        private PooledText? _transcript;
        private SortedDictionary<int, ToolCallBuilder>? _toolCalls;
        private bool _headerRead;

        /// <param name="audio">Where a spoken answer goes; null when none was asked for (audio pieces are then ignored).</param>
        public ChatStreamAggregator(AudioAnswerFile? audio = null)
        {
            _audio = audio;
        }

        public string? Id { get; private set; }

        public string? Model { get; private set; }

        public long? Created { get; private set; }

        public string? FinishReason { get; private set; }

        public QwenUsage? Usage { get; private set; }

        /// <summary>Puts the cost on the usage record before it is handed out (docs/dashscope-notes.md, "Models and prices").</summary>
        public Action<QwenUsage>? PriceUsage { get; set; }

        public bool SawDone { get; private set; }

        public int ChunkCount { get; private set; }

        /// <summary>Characters of reasoning and content received so far.</summary>
        public int TextLength => _content.Length + (_reasoning?.Length ?? 0);

        /// <summary>
        /// Processes one event. Returns false at <c>[DONE]</c>. Throws JsonException for invalid JSON and
        /// <see cref="StreamErrorException"/> when the chunk carries an <c>error</c> object.
        /// </summary>
        public bool Process(ReadOnlySpan<byte> data, Action<object>? emit)
        {
            if (data.StartsWith(DoneMarker))
            {
                SawDone = true;
                return false;
            }

            ChatChunkDecoder.Decode(data, _chunk, readHeader: !_headerRead);
            ChunkCount++;
            if (_chunk.Error != null)
            {
                throw new StreamErrorException(_chunk.Error);
            }

            if (!_headerRead)
            {
                Id = _chunk.Id;
                Model = _chunk.Model;
                Created = _chunk.Created;
                _headerRead = Id != null || Model != null;
            }

            if (_chunk.Reasoning != null)
            {
                (_reasoning ??= new PooledText()).Append(_chunk.Reasoning);
                emit?.Invoke(new QwenReasoningChunk(_chunk.Reasoning));
            }

            if (_chunk.Content != null)
            {
                _content.Append(_chunk.Content);
                emit?.Invoke(new QwenContentChunk(_chunk.Content));
            }

            if (_chunk.AudioTranscript != null)
            {
                // The text of the spoken answer, repeated by older models: shown only while no delta.content text came.
                (_transcript ??= new PooledText()).Append(_chunk.AudioTranscript);
                if (_content.Length == 0)
                {
                    emit?.Invoke(new QwenContentChunk(_chunk.AudioTranscript));
                }
            }

            if (_chunk.AudioData != null && _audio != null)
            {
                int bytes = _audio.Append(_chunk.AudioData);
                emit?.Invoke(new QwenAudioChunk(bytes, _audio.Bytes, _audio.Duration, _audio.Path));
            }

            if (_chunk.ToolCalls.Count > 0)
            {
                AddToolCallFragments();
            }

            if (_chunk.FinishReason != null)
            {
                FinishReason = _chunk.FinishReason;
            }

            if (_chunk.HasUsage)
            {
                Usage = new QwenUsage(_chunk.PromptTokens, _chunk.CompletionTokens, _chunk.TotalTokens, _chunk.CachedTokens, _chunk.ReasoningTokens)
                {
                    PromptTextTokens = _chunk.ModalityTokens[0],
                    PromptImageTokens = _chunk.ModalityTokens[1],
                    PromptAudioTokens = _chunk.ModalityTokens[2],
                    PromptVideoTokens = _chunk.ModalityTokens[3],
                    CompletionTextTokens = _chunk.ModalityTokens[4],
                    CompletionAudioTokens = _chunk.ModalityTokens[5],
                    CacheCreationTokens = _chunk.CacheCreationTokens,
                    CacheType = _chunk.CacheType,
                };
                PriceUsage?.Invoke(Usage);
                emit?.Invoke(Usage);
            }

            return true;
        }

        public QwenChatResponse Build(IReadOnlyList<QwenMessage> sentMessages, string? requestId, bool incomplete)
        {
            var response = new QwenChatResponse(
                _content.Length == 0 && _transcript != null ? _transcript.ToString() : _content.ToString(),
                _reasoning?.ToString(),
                FinishReason,
                Usage,
                Model,
                Id,
                requestId ?? RequestIds.FromCompletionId(Id),
                UnixTime.FromSeconds(Created),
                BuildToolCalls(),
                sentMessages,
                incomplete);
            if (_audio != null)
            {
                response.AudioPath = _audio.Path;
                response.AudioDuration = _audio.Duration;
            }

            return response;
        }

        /// <summary>Gives the text buffers back to the pool; built responses keep their own strings.</summary>
        public void Dispose()
        {
            _content.Dispose();
            _reasoning?.Dispose();
            _transcript?.Dispose();
        }

        private void AddToolCallFragments()
        {
            _toolCalls ??= new SortedDictionary<int, ToolCallBuilder>();
            foreach (ToolCallFragment fragment in _chunk.ToolCalls)
            {
                if (!_toolCalls.TryGetValue(fragment.Index, out ToolCallBuilder? builder))
                {
                    builder = new ToolCallBuilder();
                    _toolCalls.Add(fragment.Index, builder);
                }

                if (!string.IsNullOrEmpty(fragment.Id) && builder.Id == null)
                {
                    builder.Id = fragment.Id;
                }

                if (!string.IsNullOrEmpty(fragment.Name) && builder.Name == null)
                {
                    builder.Name = fragment.Name;
                }

                if (fragment.Arguments != null)
                {
                    builder.Arguments.Append(fragment.Arguments);
                }
            }
        }

        private IReadOnlyList<QwenToolCall> BuildToolCalls()
        {
            if (_toolCalls == null)
            {
                return Array.Empty<QwenToolCall>();
            }

            var calls = new List<QwenToolCall>(_toolCalls.Count);
            foreach (KeyValuePair<int, ToolCallBuilder> pair in _toolCalls)
            {
                calls.Add(new QwenToolCall(pair.Key, pair.Value.Id, pair.Value.Name ?? string.Empty, pair.Value.Arguments.ToString()));
            }

            return calls;
        }

        private sealed class ToolCallBuilder
        {
            public string? Id;
            public string? Name;
            public readonly StringBuilder Arguments = new StringBuilder();
        }
    }
}
