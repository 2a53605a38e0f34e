using System;
using System.Threading.Tasks;
using QwenPS.TestServer.Chat;
using QwenPS.TestServer.Files;

namespace QwenPS.TestServer.Http;

/// <summary>The default handling of each endpoint under /compatible-mode/v1.</summary>
internal static class ApiRouter
{
    public static Task DispatchAsync(ApiCall call)
    {
        string method = call.Method;
        string path = call.Path;

        if (path == ServerBehavior.ChatPath && method == "POST")
        {
            return ChatHandler.HandleAsync(call);
        }

        if (path == "/files")
        {
            if (method == "POST")
            {
                return FilesHandler.UploadAsync(call);
            }

            if (method == "GET")
            {
                return FilesHandler.ListAsync(call);
            }
        }
        else if (path.StartsWith("/files/", StringComparison.Ordinal))
        {
            string[] segments = path.Substring("/files/".Length).Split('/');
            string id = segments[0];
            if (id.Length > 0 && segments.Length == 1)
            {
                if (method == "GET")
                {
                    return FilesHandler.RetrieveAsync(call, id);
                }

                if (method == "DELETE")
                {
                    return FilesHandler.DeleteAsync(call, id);
                }
            }
            else if (id.Length > 0 && segments.Length == 2 && segments[1] == "content" && method == "GET")
            {
                return FilesHandler.ContentAsync(call, id);
            }
        }

        if (path == Completions.CompletionsHandler.Path && method == "POST")
        {
            return Completions.CompletionsHandler.HandleAsync(call);
        }

        if (Batches.BatchesHandler.TryDispatch(call) is Task batches)
        {
            return batches;
        }

        return Responses.CompatErrorAsync(call, 404, "not_found", "Unknown endpoint: " + method + " " + path);
    }
}
