using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using QwenPS.TestServer.Http;

namespace QwenPS.TestServer.Documents;

/// <summary>The answers FilesHandler gives when a <see cref="FileRules"/> rule refuses a request.</summary>
internal static class FileRuleResponses
{
    /// <summary>An upload over FileRules.UploadsPerSecond: 429 Throttling.RateQuota (docs/dashscope-notes.md, "Errors"), or null to go on.</summary>
    public static Task? ThrottleUpload(ApiCall call)
    {
        FileRules rules = call.Server.Files.Rules;
        if (rules.TryAdmitUpload(call.Record.ReceivedAt))
        {
            return null;
        }

        Dictionary<string, string>? headers = null;
        if (rules.UploadRetryAfter is TimeSpan wait)
        {
            headers = new Dictionary<string, string>
            {
                ["retry-after-ms"] = ((long)wait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                ["Retry-After"] = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
            };
        }

        return Responses.CompatErrorAsync(call, 429, "Throttling.RateQuota", FileRules.RateLimitMessage, "Throttling", headers);
    }

    /// <summary>GET /files/{id}/content of a file that is not a batch result, when FileRules.DownloadOnlyBatchResults; else null.</summary>
    public static Task? RefuseDownload(ApiCall call, StoredFile file)
    {
        if (!call.Server.Files.Rules.DownloadOnlyBatchResults
            || file.Id.StartsWith("file-batch_output", StringComparison.Ordinal)
            || file.Id.StartsWith("file-batch_error", StringComparison.Ordinal))
        {
            return null;
        }

        return Responses.CompatErrorAsync(call, 400, "invalid_parameter_error", FileRules.NotDownloadableMessage);
    }
}
