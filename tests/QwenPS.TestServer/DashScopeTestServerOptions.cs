namespace QwenPS.TestServer;

/// <summary>Start-up settings for <see cref="DashScopeTestServer.StartAsync(DashScopeTestServerOptions?)"/>.</summary>
public sealed class DashScopeTestServerOptions
{
    /// <summary>Port on 127.0.0.1; 0 (default) picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Initial value of <see cref="DashScopeTestServer.ExpectedApiKey"/>.</summary>
    public string? ExpectedApiKey { get; set; }

    /// <summary>Serve the /_control/* endpoints (default true; they are what the standalone mode is driven by).</summary>
    public bool EnableControlEndpoints { get; set; } = true;
}
