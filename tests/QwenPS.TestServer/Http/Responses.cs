using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QwenPS.TestServer.Json;

namespace QwenPS.TestServer.Http;

/// <summary>Helpers that write whole (non-streamed) responses and the two error envelopes.</summary>
internal static class Responses
{
    public const string JsonContentType = "application/json";

    public static Task JsonAsync(ApiCall call, int status, string json, IReadOnlyDictionary<string, string>? headers = null)
        => BytesAsync(call.Context, status, Encoding.UTF8.GetBytes(json), JsonContentType, headers, call.Aborted);

    /// <summary>Compat envelope: {"error":{"code","param":null,"message","type"},"id":"chatcmpl-…","request_id":"…"}.</summary>
    public static Task CompatErrorAsync(ApiCall call, int status, string? code, string message,
        string? type = "invalid_request_error", IReadOnlyDictionary<string, string>? headers = null)
        => JsonAsync(call, status, CompatErrorJson(call.RequestId, code, message, type), headers);

    public static string CompatErrorJson(string requestId, string? code, string message, string? type)
    {
        var json = new JsonBuilder().BeginObject().BeginObject("error");
        if (code is not null)
        {
            json.Prop("code", code);
        }

        json.PropNull("param").Prop("message", message);
        if (type is not null)
        {
            json.Prop("type", type);
        }

        return json.EndObject()
            .Prop("id", "chatcmpl-" + requestId)
            .Prop("request_id", requestId)
            .EndObject()
            .ToString();
    }

    /// <summary>Native DashScope envelope: {"code","message","request_id"}.</summary>
    public static string NativeErrorJson(string requestId, string code, string message)
        => new JsonBuilder().BeginObject()
            .Prop("code", code)
            .Prop("message", message)
            .Prop("request_id", requestId)
            .EndObject()
            .ToString();

    public static async Task BytesAsync(HttpContext context, int status, byte[] body, string? contentType,
        IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        if (contentType is not null)
        {
            response.ContentType = contentType;
        }

        ApplyHeaders(response, headers);

        // 1xx/204/304 must not carry a body; Kestrel would throw if we tried.
        bool bodyAllowed = status >= 200 && status != 204 && status != 304;
        if (!bodyAllowed)
        {
            return;
        }

        response.ContentLength = body.Length;
        if (body.Length > 0)
        {
            await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    public static void ApplyHeaders(HttpResponse response, IReadOnlyDictionary<string, string>? headers)
    {
        if (headers is null)
        {
            return;
        }

        foreach (KeyValuePair<string, string> header in headers)
        {
            response.Headers[header.Key] = header.Value;
        }
    }
}
