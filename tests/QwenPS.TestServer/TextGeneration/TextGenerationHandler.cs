using System.Threading.Tasks;
using QwenPS.TestServer.Chat;
using QwenPS.TestServer.Http;

namespace QwenPS.TestServer.TextGeneration;

/// <summary>The text-generation behaviours that answer a whole request.</summary>
internal static class TextGenerationHandler
{
    /// <summary>ServerBehavior.BadJson: the JSON answer this request would get, broken; streamed or not as asked.</summary>
    public static Task BadJsonAsync(ApiCall call, JsonFault fault)
    {
        ChatRequest? request = ChatRequest.From(call.BodyElement);
        ChatReply reply = TextGenerationReply.BadJson(ChatHandler.DefaultReply(request, []), TextGenerationRequest.From(call.BodyElement), fault);
        return ChatHandler.ReplyAsync(call, reply);
    }
}
