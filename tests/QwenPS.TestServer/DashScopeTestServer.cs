using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QwenPS.TestServer.Behaviors;
using QwenPS.TestServer.Control;
using QwenPS.TestServer.Files;
using QwenPS.TestServer.Http;
using QwenPS.TestServer.Recording;

namespace QwenPS.TestServer;

/// <summary>
/// A local, DashScope-compatible (OpenAI compat mode) HTTP/1.1 server on Kestrel, for the QwenPS client tests.
/// Every request under /compatible-mode/v1 is recorded, checked against <see cref="ExpectedApiKey"/>, then answered
/// by the next matching queued <see cref="ServerBehavior"/> or by the default, deterministic handling.
/// </summary>
public sealed class DashScopeTestServer : IAsyncDisposable
{
    /// <summary>The path every API endpoint lives under, as on dashscope.aliyuncs.com.</summary>
    public const string ApiBasePath = "/compatible-mode/v1";

    private readonly DashScopeTestServerOptions _options;
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _shutdownRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly List<ServerBehavior> _behaviors = new();
    private readonly ConcurrentDictionary<string, byte> _connections = new(StringComparer.Ordinal);
    private volatile string? _expectedApiKey;
    private Uri? _baseUri;
    private int _activeRequests;
    private int _disposed;

    private DashScopeTestServer(DashScopeTestServerOptions options)
    {
        _options = options;
        _expectedApiKey = options.ExpectedApiKey;
        _app = BuildApp(options.Port);
        _app.Run(HandleAsync);
    }

    /// <summary>http://127.0.0.1:PORT/compatible-mode/v1 (no trailing slash).</summary>
    public Uri BaseUri => _baseUri ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>http://127.0.0.1:PORT/ - the control endpoints live at /_control/* under it.</summary>
    public Uri RootUri => new(BaseUri.GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>When non-null, a request whose Authorization header is not exactly "Bearer {key}" gets 401
    /// (before any queued behaviour is consumed). It is still recorded.</summary>
    public string? ExpectedApiKey
    {
        get => _expectedApiKey;
        set => _expectedApiKey = value;
    }

    /// <summary>A snapshot of the recorded requests, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    public int PendingBehaviors
    {
        get
        {
            lock (_gate)
            {
                return _behaviors.Count;
            }
        }
    }

    /// <summary>Distinct connections (HttpContext.Connection.Id) that carried API requests since start or the last
    /// <see cref="ClearRequests"/>. Equal to 1 after N sequential requests means the client reused its connection.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>API requests currently being handled.</summary>
    public int ActiveRequests => Volatile.Read(ref _activeRequests);

    public FileStore Files { get; } = new();

    /// <summary>The explicit context cache of chat requests with cache_control markers (cleared by Reset).</summary>
    public TextGeneration.ContextCache ContextCache { get; } = new();

    public BatchStore Batches { get; } = new();

    internal Task ShutdownRequested => _shutdownRequested.Task;

    /// <summary>Starts a server on 127.0.0.1 (a free port unless <see cref="DashScopeTestServerOptions.Port"/> is set).</summary>
    public static async Task<DashScopeTestServer> StartAsync(DashScopeTestServerOptions? options = null)
    {
        var server = new DashScopeTestServer(options ?? new DashScopeTestServerOptions());
        try
        {
            await server._app.StartAsync().ConfigureAwait(false);
            string address = server._app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            int port = new Uri(address).Port;
            server._baseUri = new Uri("http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + ApiBasePath);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Clears the recorded requests and the connection count.</summary>
    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
            _connections.Clear();
        }
    }

    /// <summary>Queues a behaviour (FIFO among the behaviours a request matches).</summary>
    public void Enqueue(ServerBehavior behavior) => Enqueue(behavior, 1);

    /// <summary>Queues the same behaviour <paramref name="times"/> times (e.g. three 503s for a retry test).</summary>
    public void Enqueue(ServerBehavior behavior, int times)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        lock (_gate)
        {
            for (int i = 0; i < times; i++)
            {
                _behaviors.Add(behavior);
            }
        }
    }

    public void ClearBehaviors()
    {
        lock (_gate)
        {
            _behaviors.Clear();
        }
    }

    /// <summary>What POST /_control/reset does: clears requests, behaviours, files and batches, and restores the file and batch
    /// settings (ProcessingPolls, FinalStatus…). ExpectedApiKey is kept.</summary>
    public void Reset()
    {
        ClearRequests();
        ClearBehaviors();
        Files.Clear();
        Files.ResetSettings();
        ContextCache.Clear();
        Batches.Clear();
        Batches.ResetSettings();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Cancel in-flight delays and silences first so graceful shutdown does not wait for them.
        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Kestrel aborted the connections that were still open; nothing else to do.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _shutdownRequested.TrySetResult();
    }

    internal void RequestShutdown() => _shutdownRequested.TrySetResult();

    private static WebApplication BuildApp(int port)
    {
        // The empty builder reads no appsettings/environment (ASPNETCORE_URLS cannot redirect us) and has no
        // logging providers, so test output stays clean.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;          // 150+ MB uploads
            kestrel.Limits.MinRequestBodyDataRate = null;      // tests drip bytes slowly on purpose
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromMinutes(5);
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.WebHost.UseSockets(sockets => sockets.Backlog = 4096); // 1,000 clients connecting at once
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        // The default ConsoleLifetime would hook Ctrl+C/SIGTERM of whatever process hosts us (the xunit runner).
        builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        return builder.Build();
    }

    private Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? string.Empty;
        if (_options.EnableControlEndpoints && path.StartsWith("/_control/", StringComparison.Ordinal))
        {
            return ControlEndpoints.HandleAsync(this, context);
        }

        if (path == ApiBasePath || path.StartsWith(ApiBasePath + "/", StringComparison.Ordinal))
        {
            return HandleApiAsync(context, path.Substring(ApiBasePath.Length));
        }

        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    private async Task HandleApiAsync(HttpContext context, string relativePath)
    {
        DateTimeOffset receivedAt = DateTimeOffset.UtcNow;
        string requestId = Guid.NewGuid().ToString("D");
        context.Response.Headers["x-request-id"] = requestId;
        Interlocked.Increment(ref _activeRequests);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            // Record before anything can reject the request, so tests can count exactly what the server saw.
            RecordedRequest record = await RequestRecorder.CaptureAsync(context, relativePath, requestId, receivedAt, aborted.Token)
                .ConfigureAwait(false);
            lock (_gate)
            {
                _requests.Add(record);
                _connections.TryAdd(context.Connection.Id, 0);
            }

            context.Response.OnStarting(() =>
            {
                record.SetResponseStatus(context.Response.StatusCode);
                return Task.CompletedTask;
            });

            UploadResult? upload = null;
            if (RequestRecorder.IsMultipart(context.Request))
            {
                // Streamed (hashed, not buffered) before any behaviour, so retried uploads can be compared by SHA-256.
                upload = await MultipartUpload.ReadAsync(context.Request, Files.MaxKeptBytes, Files.UploadPieceDelay, aborted.Token).ConfigureAwait(false);
                record.Upload = upload.Info;
            }

            var call = new ApiCall(this, context, relativePath, requestId, record, upload, aborted.Token);
            string? expectedKey = _expectedApiKey;
            if (expectedKey is not null && context.Request.Headers.Authorization.ToString() != "Bearer " + expectedKey)
            {
                await Responses.CompatErrorAsync(call, 401, "invalid_api_key", ErrorCatalog.InvalidApiKeyMessage).ConfigureAwait(false);
                return;
            }

            await BehaviorRunner.RunAsync(call, TakeBehavior(context.Request.Method, context.Request.Path.Value ?? string.Empty, relativePath))
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDisconnect(ex, aborted.Token))
        {
            // The client went away, or we are shutting down: never crash. Abort rather than return, or Kestrel
            // would complete an unstarted response as an empty 200 to a client that is still listening.
            context.Abort();
        }
        catch (Exception ex)
        {
            // A bug in the test server: say so loudly on stderr and answer 500 if we still can.
            await Console.Error.WriteLineAsync("[QwenPS.TestServer] unhandled error for " + context.Request.Method + " " + relativePath + ": " + ex)
                .ConfigureAwait(false);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.Headers["x-request-id"] = requestId;
                context.Response.StatusCode = 500;
            }
            else
            {
                context.Abort();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _activeRequests);
        }
    }

    private ServerBehavior? TakeBehavior(string method, string fullPath, string relativePath)
    {
        lock (_gate)
        {
            for (int i = 0; i < _behaviors.Count; i++)
            {
                if (_behaviors[i].Matches(method, fullPath, relativePath))
                {
                    ServerBehavior behavior = _behaviors[i];
                    if (!behavior.Persistent)
                    {
                        _behaviors.RemoveAt(i);
                    }

                    return behavior;
                }
            }

            return null;
        }
    }

    private static bool IsDisconnect(Exception ex, CancellationToken aborted)
        => ex is OperationCanceledException || ex is IOException || aborted.IsCancellationRequested;

    /// <summary>Does nothing: start-up and shutdown are driven by StartAsync/DisposeAsync only.</summary>
    private sealed class NoopHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
