using System;
using System.Linq;
using System.Threading.Tasks;
using QwenPS.TestServer.Chat;
using QwenPS.TestServer.Http;

namespace QwenPS.TestServer.Tools;

/// <summary>
/// A model that never stops calling tools: every chat request is answered with <see cref="Calls"/> (with fresh
/// ids, "call_" + the first 8 characters of the request id + "_" + the call's index), streamed or not as the
/// request asked, after the tool rules are checked. It stays queued until a reset or <c>ClearBehaviors</c>.
/// </summary>
internal sealed record ToolLoopBehavior(ToolCallReply[] Calls, string[]? ReasoningChunks) : ServerBehavior
{
    internal override bool Persistent => true;

    public Task RespondAsync(ApiCall call)
    {
        string prefix = "call_" + call.RequestId.Substring(0, 8) + "_";
        var reply = new ChatReply
        {
            ReasoningChunks = ReasoningChunks,
            ToolCalls = Calls.Select(c => c with { Id = prefix + c.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray(),
        };
        return ChatHandler.ReplyAsync(call, reply);
    }
}
