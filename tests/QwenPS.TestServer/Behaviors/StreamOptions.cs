using System;

namespace QwenPS.TestServer;

/// <summary>
/// Faults for <see cref="ServerBehavior.Stream(StreamOptions?)"/>. "After N chunks" counts JSON data events
/// already written (the role chunk is 1); 0 means right after the response headers.
/// When several faults hit the same N they apply in this order: silence, malformed line, error chunk, cut.
/// </summary>
public sealed record StreamOptions
{
    /// <summary>Texts to stream instead of the default "Thinking about:/Answer to:" reply.</summary>
    public ChatReply? Reply { get; init; }

    /// <summary>Delay before every data event (including [DONE]). Overrides <see cref="ChatReply.ChunkDelay"/> when non-zero.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Abort the connection after N data events: no finish chunk, no [DONE]. If N is at least the number of
    /// JSON chunks, the cut happens just before [DONE].</summary>
    public int? CutAfterChunks { get; init; }

    /// <summary>Send every JSON chunk (finish and usage included), then abort before [DONE].</summary>
    public bool CutAfterFinish { get; init; }

    /// <summary>After N chunks, write nothing for <see cref="SilenceDuration"/> (ends early if the client goes away), then continue.</summary>
    public int? SilenceAfterChunks { get; init; }

    public TimeSpan SilenceDuration { get; init; }

    /// <summary>After N chunks, insert the invalid event <c>data: {"choices":[{"delta":{"content":</c> and continue.</summary>
    public int? MalformedLineAfterChunks { get; init; }

    /// <summary>After N chunks, insert <c>data: {"error":{"code","message","type":"internal_error"},"request_id"}</c>
    /// and end the response normally (no [DONE]).</summary>
    public int? ErrorChunkAfterChunks { get; init; }

    public string ErrorCode { get; init; } = "internal_error";

    public string ErrorMessage { get; init; } = "An internal error has occurred, please try again later or contact service support.";

    /// <summary>Use \r\n instead of \n as the line ending.</summary>
    public bool CrLf { get; init; }

    /// <summary>Write <c>data:{...}</c> instead of <c>data: {...}</c>.</summary>
    public bool NoSpaceAfterColon { get; init; }

    /// <summary>Write a <c>: keep-alive</c> comment block before every data event.</summary>
    public bool CommentLines { get; init; }

    /// <summary>Start the body with the UTF-8 byte order mark EF BB BF.</summary>
    public bool Utf8Bom { get; init; }

    /// <summary>Null = follow the request's stream_options.include_usage; true/false forces the usage chunk on/off.</summary>
    public bool? IncludeUsage { get; init; }

    /// <summary>Content-Type of the response.</summary>
    public string ContentType { get; init; } = "text/event-stream";
}
