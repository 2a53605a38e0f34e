using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace QwenPS.TestServer;

/// <summary>
/// One scripted reaction of the server, queued with <see cref="DashScopeTestServer.Enqueue(ServerBehavior)"/>.
/// A behaviour is consumed by the first later request that matches <see cref="PathFilter"/> and <see cref="Method"/>
/// (other requests skip over it and get the default handling). Recording and the API-key check always run first.
/// It is a record so that <c>ServerBehavior.Status(503) with { PathFilter = "/files" }</c> works.
/// </summary>
public abstract record ServerBehavior
{
    private protected ServerBehavior()
    {
    }

    /// <summary>
    /// Null = any path. Otherwise matches when the request path ends with this text
    /// (e.g. "/chat/completions"), or when the path relative to the base URI starts with it followed by '/'
    /// (so "/files" also matches "/files/file-fe-123" and "/files/file-fe-123/content").
    /// </summary>
    public string? PathFilter { get; init; }

    /// <summary>Null = any method; otherwise an HTTP method such as "GET" (case-insensitive).</summary>
    public string? Method { get; init; }

    /// <summary>Returns a copy restricted to requests whose path matches <paramref name="pathFilter"/>.</summary>
    public ServerBehavior ForPath(string? pathFilter) => this with { PathFilter = pathFilter };

    /// <summary>Returns a copy restricted to requests with the given HTTP method.</summary>
    public ServerBehavior ForMethod(string? method) => this with { Method = method };

    /// <summary>Compat-mode error envelope: {"error":{"code","param":null,"message","type"},"id","request_id"}.
    /// A null <paramref name="code"/> or <paramref name="type"/> leaves that key out (some gateway errors have no code).</summary>
    public static ServerBehavior Error(int status, string? code, string message, string? type = "invalid_request_error", IDictionary<string, string>? headers = null)
        => new ErrorBehavior(status, code, message, type, CopyHeaders(headers));

    /// <summary>Native DashScope envelope: {"code","message","request_id"}.</summary>
    public static ServerBehavior NativeError(int status, string code, string message, IDictionary<string, string>? headers = null)
        => new NativeErrorBehavior(status, code, message, CopyHeaders(headers));

    /// <summary>Exactly this body (UTF-8), with this status and Content-Type (null = no Content-Type header).</summary>
    public static ServerBehavior Body(int status, string body, string? contentType, IDictionary<string, string>? headers = null)
        => new BodyBehavior(status, Encoding.UTF8.GetBytes(body), contentType, CopyHeaders(headers));

    /// <summary>Exactly these bytes, with this status and Content-Type (null = no Content-Type header).</summary>
    public static ServerBehavior Body(int status, byte[] body, string? contentType, IDictionary<string, string>? headers = null)
        => new BodyBehavior(status, body.ToArray(), contentType, CopyHeaders(headers));

    /// <summary>Waits (cancelled if the client goes away) before sending anything, then runs <paramref name="then"/>
    /// or the default handling. Inherits PathFilter and Method from <paramref name="then"/>.</summary>
    public static ServerBehavior DelayThen(TimeSpan delayBeforeHeaders, ServerBehavior? then = null)
        => new DelayBehavior(delayBeforeHeaders, then) { PathFilter = then?.PathFilter, Method = then?.Method };

    /// <summary>Aborts the connection (HttpContext.Abort) without sending a response.</summary>
    public static ServerBehavior ResetBeforeHeaders() => new ResetBehavior();

    /// <summary>The default streamed chat reply for the request received (or <see cref="StreamOptions.Reply"/>), with
    /// the faults in <paramref name="options"/>. Always answers as SSE, even if the request did not ask for a stream.
    /// PathFilter defaults to "/chat/completions".</summary>
    public static ServerBehavior Stream(StreamOptions? options = null)
        => new StreamBehavior(options ?? new StreamOptions()) { PathFilter = ChatPath };

    /// <summary>Status 200, text/event-stream, then the segments in order, each written and flushed on its own.</summary>
    public static ServerBehavior RawStream(params RawSegment[] segments)
        => new RawStreamBehavior(segments.ToArray());

    /// <summary>Any status and Content-Type (null = no Content-Type header), sent at once without a Content-Length,
    /// then the segments in order, each written and flushed on its own: a JSON or error body that stalls or breaks
    /// halfway, a body that trickles in.</summary>
    public static ServerBehavior RawBody(int status, string? contentType, params RawSegment[] segments)
        => new RawStreamBehavior(segments.ToArray()) { StatusCode = status, ContentType = contentType };

    /// <summary>A normal chat reply (stream or not, as the request asked) with these texts. Request validation
    /// (model, stream-only models, fileid://) is skipped. PathFilter defaults to "/chat/completions".</summary>
    public static ServerBehavior Reply(ChatReply reply)
        => new ReplyBehavior(reply) { PathFilter = ChatPath };

    /// <summary>A model that never stops calling tools: every chat request gets these calls (fresh ids each time),
    /// after the tool rules are checked; optional reasoning first. Stays queued until reset. PathFilter "/chat/completions".</summary>
    public static ServerBehavior ToolLoop(ToolCallReply[] calls, string[]? reasoningChunks = null)
        => new Tools.ToolLoopBehavior(calls.ToArray(), reasoningChunks) { PathFilter = ChatPath };

    /// <summary>A compat error envelope with a plausible code and message for the status (see README).</summary>
    public static ServerBehavior Status(int status, IDictionary<string, string>? headers = null)
    {
        var (code, type, message) = ErrorCatalog.ForStatus(status);
        return new ErrorBehavior(status, code, message, type, CopyHeaders(headers));
    }

    /// <summary>The JSON answer the default handling would give this request (json_object or json_schema),
    /// broken as <paramref name="fault"/> says; streamed or not as the request asked. PathFilter defaults to "/chat/completions".</summary>
    public static ServerBehavior BadJson(JsonFault fault) => new BadJsonBehavior(fault) { PathFilter = ChatPath };

    /// <summary>The default handling. Useful as a placeholder: Enqueue(Default()), Enqueue(Status(503))
    /// makes the first matching request succeed and the second fail.</summary>
    public static ServerBehavior Default() => new DefaultBehavior();

    internal const string ChatPath = "/chat/completions";

    /// <summary>True for a behaviour that answers every matching request instead of being consumed by the first.</summary>
    internal virtual bool Persistent => false;

    internal bool Matches(string method, string fullPath, string relativePath)
    {
        if (Method is not null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (string.IsNullOrEmpty(PathFilter))
        {
            return true;
        }

        string prefix = PathFilter.EndsWith('/') ? PathFilter : PathFilter + "/";
        return fullPath.EndsWith(PathFilter, StringComparison.Ordinal)
            || relativePath.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, string>? CopyHeaders(IDictionary<string, string>? headers)
        => headers is null ? null : new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
}

// The concrete kinds are internal: tests only need the factories; the server pattern-matches on these.
internal sealed record ErrorBehavior(int StatusCode, string? Code, string Message, string? Type, IReadOnlyDictionary<string, string>? Headers) : ServerBehavior;

internal sealed record NativeErrorBehavior(int StatusCode, string Code, string Message, IReadOnlyDictionary<string, string>? Headers) : ServerBehavior;

internal sealed record BodyBehavior(int StatusCode, byte[] Content, string? ContentType, IReadOnlyDictionary<string, string>? Headers) : ServerBehavior;

internal sealed record DelayBehavior(TimeSpan Delay, ServerBehavior? Then) : ServerBehavior;

internal sealed record ResetBehavior : ServerBehavior;

internal sealed record StreamBehavior(StreamOptions Options) : ServerBehavior;

internal sealed record RawStreamBehavior(IReadOnlyList<RawSegment> Segments) : ServerBehavior
{
    public int StatusCode { get; init; } = 200;

    public string? ContentType { get; init; } = "text/event-stream";
}

internal sealed record ReplyBehavior(ChatReply Value) : ServerBehavior;

internal sealed record DefaultBehavior : ServerBehavior;
