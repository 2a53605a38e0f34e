using System;
using System.Security;
using QwenPS.Session;
using QwenPS.Transport;

namespace QwenPS.Engine
{
    /// <summary>Connect-Qwen's behaviour: validates the endpoint and replaces this runspace's defaults. It sends no request.</summary>
    internal static class ConnectOperation
    {
        public static QwenConnectionInfo Connect(
            object scope,
            SecureString? apiKey,
            QwenRegion? region,
            Uri? baseUri,
            string? model,
            Func<string, string?> environment,
            Action<string> warning,
            Action<string> verbose)
        {
            Uri? validated = baseUri != null ? QwenEndpoints.Validate(baseUri) : null;
            Uri effective = QwenEndpoints.Resolve(validated, region, null, environment);

            // Each call replaces this runspace's defaults as a whole (like a new sign-in).
            ConnectionStore.Set(scope, new ConnectionDefaults(apiKey?.Copy(), validated, region, model));
            string source = apiKey != null && apiKey.Length > 0 ? "Connect-Qwen"
                : !string.IsNullOrWhiteSpace(environment(ApiKey.EnvironmentVariable)) ? ApiKey.EnvironmentVariable
                : "None";
            if (source == "None")
            {
                warning("No API key: pass -ApiKey or set $env:" + ApiKey.EnvironmentVariable + " before calling the service.");
            }

            verbose("This runspace now uses " + effective + (model != null ? " and model " + model : string.Empty) + "; key from " + source + ".");
            return new QwenConnectionInfo(region, effective, model, source);
        }
    }
}
