using System;
using System.Threading.Tasks;
using QwenPS.TestServer.Chat;
using QwenPS.TestServer.Http;
using QwenPS.TestServer.TextGeneration;

namespace QwenPS.TestServer.Behaviors;

/// <summary>Carries out one queued <see cref="ServerBehavior"/> (or the default handling when there is none).</summary>
internal static class BehaviorRunner
{
    public static async Task RunAsync(ApiCall call, ServerBehavior? behavior)
    {
        switch (behavior)
        {
            case null:
            case DefaultBehavior:
                await ApiRouter.DispatchAsync(call).ConfigureAwait(false);
                break;

            case ErrorBehavior error:
                await Responses.CompatErrorAsync(call, error.StatusCode, error.Code, error.Message, error.Type, error.Headers).ConfigureAwait(false);
                break;

            case NativeErrorBehavior native:
                await Responses.JsonAsync(call, native.StatusCode, Responses.NativeErrorJson(call.RequestId, native.Code, native.Message), native.Headers)
                    .ConfigureAwait(false);
                break;

            case BodyBehavior body:
                await Responses.BytesAsync(call.Context, body.StatusCode, body.Content, body.ContentType, body.Headers, call.Aborted).ConfigureAwait(false);
                break;

            case DelayBehavior delay:
                await Task.Delay(delay.Delay, call.Aborted).ConfigureAwait(false);
                await RunAsync(call, delay.Then).ConfigureAwait(false);
                break;

            case ResetBehavior:
                call.Context.Abort();
                break;

            // Stream/Reply only make sense for chat; on another path they fall back to the default handling.
            case StreamBehavior stream when call.IsChatPath:
                await ChatHandler.StreamAsync(call, stream.Options).ConfigureAwait(false);
                break;

            case ReplyBehavior reply when call.IsChatPath:
                await ChatHandler.ReplyAsync(call, reply.Value).ConfigureAwait(false);
                break;

            case AudioBehavior omni when call.IsChatPath:
                await ChatHandler.HandleAsync(call, omni.Audio).ConfigureAwait(false);
                break;

            case Tools.ToolLoopBehavior loop when call.IsChatPath:
                await loop.RespondAsync(call).ConfigureAwait(false);
                break;

            case BadJsonBehavior badJson when call.IsChatPath:
                await TextGenerationHandler.BadJsonAsync(call, badJson.Fault).ConfigureAwait(false);
                break;

            case RawStreamBehavior raw:
                await RawStreamAsync(call, raw).ConfigureAwait(false);
                break;

            default:
                await ApiRouter.DispatchAsync(call).ConfigureAwait(false);
                break;
        }
    }

    private static async Task RawStreamAsync(ApiCall call, RawStreamBehavior raw)
    {
        var sse = new SseWriter(call.Context.Response, crLf: false, noSpaceAfterColon: false, call.Aborted);
        await SseWriter.StartAsync(call.Context.Response, raw.StatusCode, raw.ContentType, call.Aborted).ConfigureAwait(false);
        foreach (RawSegment segment in raw.Segments)
        {
            switch (segment.Kind)
            {
                case RawSegmentKind.Bytes:
                    await WriteRepeatedAsync(sse, segment.Data!, segment.RepeatCount).ConfigureAwait(false);
                    break;
                case RawSegmentKind.Delay:
                    await Task.Delay(segment.DelayValue, call.Aborted).ConfigureAwait(false);
                    break;
                case RawSegmentKind.Flush:
                    await call.Context.Response.Body.FlushAsync(call.Aborted).ConfigureAwait(false);
                    break;
                case RawSegmentKind.Abort:
                    await SseWriter.AbortAsync(call.Context).ConfigureAwait(false);
                    return;
            }
        }
    }

    /// <summary>Writes <paramref name="data"/> <paramref name="count"/> times in writes of about 64 KB.</summary>
    private static async Task WriteRepeatedAsync(SseWriter sse, byte[] data, int count)
    {
        if (count == 1 || data.Length == 0)
        {
            if (count > 0)
            {
                await sse.WriteBytesAsync(data).ConfigureAwait(false);
            }

            return;
        }

        int perWrite = Math.Max(1, (64 * 1024) / data.Length);
        byte[] block = new byte[Math.Min(perWrite, count) * data.Length];
        for (int i = 0; i < block.Length; i += data.Length)
        {
            Buffer.BlockCopy(data, 0, block, i, data.Length);
        }

        int remaining = count;
        while (remaining > 0)
        {
            int n = Math.Min(perWrite, remaining);
            await sse.WriteBytesAsync(block.AsMemory(0, n * data.Length)).ConfigureAwait(false);
            remaining -= n;
        }
    }
}
