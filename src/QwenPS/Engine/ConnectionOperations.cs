using System;
using System.Security;
using QwenPS.Session;
using QwenPS.Transport;

namespace QwenPS.Engine
{
    /// <summary>
    /// Connect-Qwen's and Disconnect-Qwen's behaviour over the per-runspace defaults (<see cref="ConnectionStore"/>,
    /// keyed by <c>scope</c>: the runspace's <c>$QwenPSConnectionScope</c>, see Commands/ConnectionScope). Neither sends a request.
    /// </summary>
    internal static class ConnectionOperations
    {
        /// <summary>Validates the endpoint and replaces this runspace's defaults as a whole.</summary>
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
            if (apiKey != null)
            {
                // The same checks a call makes (empty, line breaks, invisible characters), now rather than at the first call.
                ApiKey.Resolve(apiKey, null, _ => null);
            }

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

        /// <summary>Forgets this runspace's defaults (the key is disposed); false when there were none.</summary>
        public static bool Disconnect(object? scope) => ConnectionStore.Clear(scope);

        /// <summary>This runspace's defaults, or null.</summary>
        public static ConnectionDefaults? Defaults(object? scope) => scope == null ? null : ConnectionStore.Get(scope);
    }
}
