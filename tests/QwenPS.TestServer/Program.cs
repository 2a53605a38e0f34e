using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;

namespace QwenPS.TestServer;

/// <summary>
/// Standalone mode for Pester: prints "QWENPS_TEST_SERVER_URL=…" as the first stdout line, then serves until
/// killed, until POST /_control/shutdown, or (with --parent-pid) until the given process exits.
/// </summary>
internal static class Program
{
    private const string Usage = "Usage: QwenPS.TestServer [--port N] [--api-key KEY] [--parent-pid PID]";

    public static async Task<int> Main(string[] args)
    {
        var options = new DashScopeTestServerOptions();
        int? parentPid = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (arg)
            {
                case "--port" when TryParsePositive(value, out int port) && port <= 65535:
                    options.Port = port;
                    i++;
                    break;
                case "--api-key" when value is not null:
                    options.ExpectedApiKey = value;
                    i++;
                    break;
                case "--parent-pid" when TryParsePositive(value, out int pid):
                    parentPid = pid;
                    i++;
                    break;
                case "-h":
                case "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    await Console.Error.WriteLineAsync("Unexpected argument '" + arg + "'. " + Usage).ConfigureAwait(false);
                    return 2;
            }
        }

        DashScopeTestServer server;
        try
        {
            server = await DashScopeTestServer.StartAsync(options).ConfigureAwait(false);
        }
        catch (System.IO.IOException ex)
        {
            // Typically "address already in use" for a fixed --port.
            await Console.Error.WriteLineAsync("Cannot start the test server: " + ex.Message).ConfigureAwait(false);
            return 1;
        }

        try
        {
            Console.Out.WriteLine("QWENPS_TEST_SERVER_URL=" + server.BaseUri.AbsoluteUri.TrimEnd('/'));
            Console.Out.Flush();

            if (parentPid is int parent)
            {
                // A test runner that dies (or SIGKILLs `dotnet run`, which orphans us) must not leave the port taken.
                _ = Task.Run(async () =>
                {
                    await WaitForExitAsync(parent).ConfigureAwait(false);
                    server.RequestShutdown();
                });
            }

            // Ctrl+C and SIGTERM keep their default meaning (end the process); the control endpoint ends it politely.
            await server.ShutdownRequested.ConfigureAwait(false);
            return 0;
        }
        finally
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool TryParsePositive(string? text, out int value)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static async Task WaitForExitAsync(int pid)
    {
        while (true)
        {
            try
            {
                using Process process = Process.GetProcessById(pid);
                if (process.HasExited)
                {
                    return;
                }
            }
            catch (ArgumentException)
            {
                return; // no such process
            }
            catch (InvalidOperationException)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
    }
}
