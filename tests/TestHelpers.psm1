#Requires -Version 7.4
# Copyright (c) QwenPS contributors. MIT License.

<#
    Helpers for the QwenPS Pester suite: start and stop the local DashScope-compatible test server
    (tests/QwenPS.TestServer, see its README), drive it through its /_control/* endpoints, and read back
    the requests it recorded.

    Every function takes -Server (the object Start-QwenTestServer returns); without it, the server most
    recently started in this session is used. Control calls bypass any proxy and decode the JSON as UTF-8
    regardless of what the response says about its charset, so recorded Chinese text compares exactly.
#>

Set-StrictMode -Version 3.0

$script:RepositoryRoot = [System.IO.Path]::GetFullPath((Join-Path -Path $PSScriptRoot -ChildPath '..'))
$script:UrlPrefix = 'QWENPS_TEST_SERVER_URL='
$script:CurrentServer = $null

function Get-QwenTestRepositoryRoot {
    <# .SYNOPSIS The repository root (the folder of QwenPS.psd1). #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $script:RepositoryRoot
}

function Set-QwenTestEnvironmentVariable {
    <#
    .SYNOPSIS
        Sets (or, with an empty value, removes) a process environment variable and returns its previous value.
    .DESCRIPTION
        QwenPS reads $env:DASHSCOPE_API_KEY through System.Environment, so the tests change it at the process
        level. Pass the returned value back later to restore it.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string]$Name,

        [AllowNull()]
        [AllowEmptyString()]
        [string]$Value
    )

    $previous = [System.Environment]::GetEnvironmentVariable($Name)
    if ([string]::IsNullOrEmpty($Value)) {
        [System.Environment]::SetEnvironmentVariable($Name, $null)
    }
    else {
        [System.Environment]::SetEnvironmentVariable($Name, $Value)
    }

    $previous
}

function Start-QwenTestServer {
    <#
    .SYNOPSIS
        Starts tests/QwenPS.TestServer on a free loopback port and returns an object describing it.
    .DESCRIPTION
        Runs `dotnet run --project <repo>/tests/QwenPS.TestServer -c <Configuration> --no-launch-profile --
        --port 0 [--api-key KEY] --parent-pid <this process>` and waits (up to -TimeoutSec, 120 s by default,
        because dotnet run may have to build first) for the stdout line QWENPS_TEST_SERVER_URL=<base URI>.
        --parent-pid makes the server exit if this PowerShell process dies without stopping it.

        $env:QWENPS_TEST_CONFIGURATION sets the default configuration (build.ps1 passes its -Configuration);
        $env:QWENPS_TEST_SERVER_NO_BUILD = '1' adds --no-build (build.ps1 sets it once dotnet test has built
        the server).

        The result has BaseUri (http://127.0.0.1:PORT/compatible-mode/v1, no trailing slash), ControlUri
        (http://127.0.0.1:PORT/_control), RootUri, Process and ApiKey.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # When set, the server answers 401 unless Authorization is exactly "Bearer <ApiKey>".
        [string]$ApiKey,

        [ValidateSet('Debug', 'Release')]
        [string]$Configuration,

        [ValidateRange(1, 3600)]
        [int]$TimeoutSec = 120
    )

    if (-not $PSBoundParameters.ContainsKey('Configuration')) {
        $Configuration = 'Release'
        if ($env:QWENPS_TEST_CONFIGURATION -in @('Debug', 'Release')) {
            $Configuration = $env:QWENPS_TEST_CONFIGURATION
        }
    }

    $dotnet = Get-Command -Name 'dotnet' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $dotnet) {
        throw 'The .NET SDK (dotnet) is not on PATH: it is needed to run the QwenPS test server.'
    }

    $project = Join-Path -Path $script:RepositoryRoot -ChildPath 'tests' -AdditionalChildPath 'QwenPS.TestServer'
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new($dotnet.Source)
    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.AddRange([string[]]@('run', '--project', $project, '-c', $Configuration, '--no-launch-profile'))
    if ($env:QWENPS_TEST_SERVER_NO_BUILD -eq '1') {
        $arguments.Add('--no-build')
    }

    $arguments.AddRange([string[]]@('--', '--port', '0', '--parent-pid', [string]$PID))
    if (-not [string]::IsNullOrEmpty($ApiKey)) {
        $arguments.AddRange([string[]]@('--api-key', $ApiKey))
    }

    foreach ($argument in $arguments) {
        $startInfo.ArgumentList.Add($argument)
    }

    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.StandardOutputEncoding = [System.Text.UTF8Encoding]::new($false)
    $startInfo.StandardErrorEncoding = [System.Text.UTF8Encoding]::new($false)
    $startInfo.WorkingDirectory = $script:RepositoryRoot
    $startInfo.Environment['DOTNET_NOLOGO'] = '1'
    $startInfo.Environment['DOTNET_CLI_TELEMETRY_OPTOUT'] = '1'
    $startInfo.Environment['DOTNET_SKIP_FIRST_TIME_EXPERIENCE'] = '1'
    $startInfo.Environment['MSBUILDTERMINALLOGGER'] = 'off'

    Write-Verbose ("Starting the test server: dotnet {0}" -f ($arguments -join ' '))
    $process = [System.Diagnostics.Process]::Start($startInfo)
    if ($null -eq $process) {
        throw 'Could not start dotnet for the QwenPS test server.'
    }

    # stderr is drained in the background from the start (a full pipe would block the server); stdout is read
    # line by line until the URL line, then drained the same way.
    $stderrTask = $process.StandardError.ReadToEndAsync()
    $earlyOutput = [System.Collections.Generic.List[string]]::new()
    $deadline = [System.DateTime]::UtcNow.AddSeconds($TimeoutSec)
    $baseUri = $null
    $failure = $null
    try {
        while ($null -eq $baseUri -and $null -eq $failure) {
            $remaining = $deadline - [System.DateTime]::UtcNow
            if ($remaining -le [System.TimeSpan]::Zero) {
                $failure = "no $($script:UrlPrefix) line within $TimeoutSec s"
                break
            }

            $lineTask = $process.StandardOutput.ReadLineAsync()
            if (-not $lineTask.Wait($remaining)) {
                $failure = "no $($script:UrlPrefix) line within $TimeoutSec s"
                break
            }

            $line = $lineTask.Result
            if ($null -eq $line) {
                $null = $process.WaitForExit(5000)
                $code = 'unknown'
                if ($process.HasExited) {
                    $code = [string]$process.ExitCode
                }

                $failure = "the process ended (exit code $code) before printing $($script:UrlPrefix)"
                break
            }

            if ($line.StartsWith($script:UrlPrefix, [System.StringComparison]::Ordinal)) {
                $baseUri = $line.Substring($script:UrlPrefix.Length).Trim().TrimEnd('/')
            }
            else {
                $earlyOutput.Add($line)
            }
        }
    }
    catch {
        $failure = "reading its output failed: $($_.Exception.Message)"
    }

    if ($null -ne $failure) {
        Stop-QwenTestProcess -Process $process
        $stderr = ''
        if ($stderrTask.Wait(2000)) {
            $stderr = $stderrTask.Result
        }

        $process.Dispose()
        throw ("The QwenPS test server did not start: {0}.`nstdout:`n{1}`nstderr:`n{2}" -f $failure, ($earlyOutput -join "`n"), $stderr)
    }

    $stdoutTask = $process.StandardOutput.ReadToEndAsync()
    $root = ([System.Uri]$baseUri).GetLeftPart([System.UriPartial]::Authority)
    $server = [pscustomobject]@{
        PSTypeName   = 'QwenPS.Tests.TestServer'
        BaseUri      = $baseUri
        RootUri      = $root + '/'
        ControlUri   = $root + '/_control'
        ApiKey       = $ApiKey
        Process      = $process
        StandardOutputTask = $stdoutTask
        StandardErrorTask  = $stderrTask
    }

    $script:CurrentServer = $server
    try {
        # The URL line is printed once Kestrel listens; one control call proves the control API answers too.
        $null = Invoke-QwenTestControl -Server $server -Endpoint 'stats' -TimeoutSec 30
    }
    catch {
        Stop-QwenTestServer -Server $server
        throw
    }

    Write-Verbose "QwenPS test server listening at $baseUri (process $($process.Id))."
    $server
}

function Stop-QwenTestServer {
    <#
    .SYNOPSIS
        Stops a test server: POST /_control/shutdown, then kills the process tree if it is still alive after 5 s.
    .DESCRIPTION
        Does nothing when there is no server (so an AfterAll can call it after a failed BeforeAll).
    #>
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline)]
        [AllowNull()]
        [psobject]$Server
    )

    process {
        $target = $Server
        if ($null -eq $target) {
            $target = $script:CurrentServer
        }

        if ($null -eq $target) {
            return
        }

        $process = $target.Process
        $running = $false
        try {
            $running = -not $process.HasExited
        }
        catch [System.InvalidOperationException] {
            # Already stopped and disposed by an earlier call.
            $running = $false
        }

        try {
            if ($running) {
                try {
                    $null = Invoke-QwenTestControl -Server $target -Method Post -Endpoint 'shutdown' -TimeoutSec 5
                }
                catch {
                    Write-Verbose "POST /_control/shutdown failed: $($_.Exception.Message)"
                }

                if (-not $process.WaitForExit(5000)) {
                    Write-Warning "The QwenPS test server (process $($process.Id)) was still running 5 s after /_control/shutdown: killing it."
                    Stop-QwenTestProcess -Process $process
                }
            }
        }
        finally {
            $process.Dispose()
            if ([object]::ReferenceEquals($script:CurrentServer, $target)) {
                $script:CurrentServer = $null
            }
        }
    }
}

function Stop-QwenTestProcess {
    # Kills dotnet run and the server it started (the whole tree); ignores a process that is already gone.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [System.Diagnostics.Process]$Process
    )

    try {
        if (-not $Process.HasExited) {
            $Process.Kill($true)
            $null = $Process.WaitForExit(5000)
        }
    }
    catch [System.InvalidOperationException] {
        Write-Verbose "The process had already exited: $($_.Exception.Message)"
    }
}

function Invoke-QwenTestControl {
    <#
    .SYNOPSIS
        Calls one /_control/<Endpoint> of the test server and returns the JSON answer as objects.
    .DESCRIPTION
        -Body (a hashtable, an array or a JSON string) is sent as UTF-8 JSON. A JSON array comes back one
        element at a time, so wrap the call in @() to count. A 400 from the server (a bad behaviour spec)
        throws, with the server's message in the error details.
    #>
    [CmdletBinding()]
    param(
        [AllowNull()]
        [psobject]$Server,

        [ValidateSet('Get', 'Post')]
        [string]$Method = 'Get',

        [Parameter(Mandatory)]
        [string]$Endpoint,

        [AllowNull()]
        [object]$Body,

        [ValidateRange(1, 600)]
        [int]$TimeoutSec = 30
    )

    $target = Resolve-QwenTestServer -Server $Server
    $ProgressPreference = 'SilentlyContinue'
    $request = @{
        Uri         = $target.ControlUri + '/' + $Endpoint.TrimStart('/')
        Method      = $Method
        NoProxy     = $true
        TimeoutSec  = $TimeoutSec
        ErrorAction = 'Stop'
    }

    if ($PSBoundParameters.ContainsKey('Body')) {
        $json = $Body
        if ($Body -isnot [string]) {
            $json = ConvertTo-Json -InputObject $Body -Depth 10 -Compress
        }

        $request['Body'] = [System.Text.Encoding]::UTF8.GetBytes([string]$json)
        $request['ContentType'] = 'application/json; charset=utf-8'
    }

    $response = Invoke-WebRequest @request
    $text = [System.Text.Encoding]::UTF8.GetString($response.RawContentStream.ToArray())
    if ([string]::IsNullOrWhiteSpace($text)) {
        return
    }

    ConvertFrom-Json -InputObject $text -Depth 100
}

function Resolve-QwenTestServer {
    param(
        [AllowNull()]
        [psobject]$Server
    )

    if ($null -ne $Server) {
        return $Server
    }

    if ($null -ne $script:CurrentServer) {
        return $script:CurrentServer
    }

    throw 'No QwenPS test server is running: call Start-QwenTestServer first (or pass -Server).'
}

function Add-QwenTestBehavior {
    <#
    .SYNOPSIS
        Queues one scripted server behaviour (POST /_control/enqueue).
    .DESCRIPTION
        -Behavior is a hashtable in the README's "Behaviour spec JSON" shape, for example
        @{ kind = 'error'; status = 429; code = 'limit_requests'; message = 'slow down'; headers = @{ 'Retry-After' = '1' } }.
        -Times adds "times". Unknown properties make the server refuse the spec, and this function throws.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)]
        [System.Collections.IDictionary]$Behavior,

        [ValidateRange(0, 10000)]
        [int]$Times,

        [AllowNull()]
        [psobject]$Server
    )

    $spec = [ordered]@{}
    foreach ($key in $Behavior.Keys) {
        $spec[[string]$key] = $Behavior[$key]
    }

    if ($PSBoundParameters.ContainsKey('Times')) {
        $spec['times'] = $Times
    }

    $answer = Invoke-QwenTestControl -Server $Server -Method Post -Endpoint 'enqueue' -Body $spec
    Write-Verbose "Behaviour queued; $($answer.pendingBehaviors) pending."
}

function Get-QwenTestRequest {
    <#
    .SYNOPSIS
        The requests the server recorded since the last reset (GET /_control/requests), oldest first.
    .DESCRIPTION
        Each has method, path (relative to the base URI, e.g. /chat/completions), query, headers, bodyText,
        bodyJson (parsed), upload (multipart details) and requestId. -Method and -Path (a wildcard) filter.
    #>
    [CmdletBinding()]
    param(
        [string]$Method,

        [string]$Path,

        [AllowNull()]
        [psobject]$Server
    )

    foreach ($request in @(Invoke-QwenTestControl -Server $Server -Endpoint 'requests')) {
        if ($null -eq $request) {
            continue
        }

        if ($Method -and $request.method -ne $Method) {
            continue
        }

        if ($Path -and $request.path -notlike $Path) {
            continue
        }

        $request
    }
}

function Reset-QwenTestServer {
    <#
    .SYNOPSIS
        Clears recorded requests, queued behaviours and stored files, and restores the file settings
        (POST /_control/reset). The expected API key is kept.
    #>
    [CmdletBinding()]
    param(
        [AllowNull()]
        [psobject]$Server
    )

    $null = Invoke-QwenTestControl -Server $Server -Method Post -Endpoint 'reset'
}

function Set-QwenTestServerOption {
    <#
    .SYNOPSIS
        Changes server settings (POST /_control/config): expectedApiKey, processingPolls, finalStatus,
        finalStatusDetails, maxKeptBytes. Returns the resulting settings.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)]
        [System.Collections.IDictionary]$Option,

        [AllowNull()]
        [psobject]$Server
    )

    Invoke-QwenTestControl -Server $Server -Method Post -Endpoint 'config' -Body $Option
}

function Get-QwenTestLastChatRequest {
    <#
    .SYNOPSIS
        The last chat request the server recorded; throws when there is none.
    #>
    [CmdletBinding()]
    param()

    $requests = @(Get-QwenTestRequest -Method POST -Path '/chat/completions')
    if ($requests.Count -eq 0) {
        throw 'The server saw no chat request.'
    }

    $requests[-1]
}

function Start-QwenTestSession {
    <#
    .SYNOPSIS
        Sets up one test file: a fake key in $env:DASHSCOPE_API_KEY, no base-URL override, no Connect-Qwen
        defaults, and a fresh local server. Returns the session; pass it to Stop-QwenTestSession in AfterAll.
    #>
    [CmdletBinding()]
    [OutputType([psobject])]
    param(
        [string]$ApiKey = 'sk-pester-fake-0000000000'
    )

    $savedApiKey = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $ApiKey
    $savedBaseUrl = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_COMPATIBLE_BASE_URL' -Value $null
    Disconnect-Qwen
    $server = Start-QwenTestServer
    [pscustomobject]@{
        Server       = $server
        BaseUri      = $server.BaseUri
        SavedApiKey  = $savedApiKey
        SavedBaseUrl = $savedBaseUrl
    }
}

function Stop-QwenTestSession {
    <#
    .SYNOPSIS
        Undoes Start-QwenTestSession: stops the server and restores the environment variables.
    #>
    [CmdletBinding()]
    param(
        [AllowNull()]
        [psobject]$Session
    )

    if ($null -eq $Session) {
        return
    }

    Stop-QwenTestServer -Server $Session.Server
    $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $Session.SavedApiKey
    $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_COMPATIBLE_BASE_URL' -Value $Session.SavedBaseUrl
}

function Wait-QwenTestCondition {
    <#
    .SYNOPSIS
        Polls -Condition every 50 ms until it returns $true or -TimeoutSec passes; returns whether it became true.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory)]
        [scriptblock]$Condition,

        [ValidateRange(1, 600)]
        [int]$TimeoutSec = 30
    )

    $deadline = [System.DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ([System.DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) {
            return $true
        }

        Start-Sleep -Milliseconds 50
    }

    [bool](& $Condition)
}

function Invoke-QwenTestStop {
    <#
    .SYNOPSIS
        Runs -Script in a new PowerShell instance (the QwenPS module imported), waits until -StopWhen is true,
        then stops it as Ctrl+C does (PowerShell.Stop) and reports what happened.
    .DESCRIPTION
        -Script gets the test server's base URI as $args[0]. -StopWhen gets the output collection as $args[0]
        (default: the server is handling a request). The result has State (the PSInvocationState after Stop),
        Reason (the exception the invocation ended with), EndInvokeError (the exception EndInvoke threw, unwrapped),
        Output, Errors, StopSeconds (how long Stop took), Reached (whether -StopWhen became true) and Variable
        (the value of -VariableName in that runspace's global scope, after the stop).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [string]$Script,

        [scriptblock]$StopWhen = { (Invoke-QwenTestControl -Endpoint 'stats').activeRequests -ge 1 },

        [string]$VariableName,

        [AllowNull()]
        [psobject]$Server,

        [ValidateRange(1, 600)]
        [int]$TimeoutSec = 30
    )

    $target = Resolve-QwenTestServer -Server $Server
    $manifest = Join-Path -Path $script:RepositoryRoot -ChildPath 'QwenPS.psd1'
    $powershell = [powershell]::Create()
    try {
        # Imported first, on its own: a batch (AddStatement) would report the stop as an error record instead.
        $null = $powershell.AddCommand('Import-Module').AddParameter('Name', $manifest).AddParameter('ErrorAction', 'Stop')
        $null = $powershell.Invoke()
        $powershell.Commands.Clear()
        $null = $powershell.AddScript($Script).AddArgument($target.BaseUri)
        $inputData = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $inputData.Complete()
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $handle = $powershell.BeginInvoke($inputData, $output)
        $reached = Wait-QwenTestCondition -TimeoutSec $TimeoutSec -Condition { (& $StopWhen $output) -or $handle.IsCompleted }
        $reached = $reached -and -not $handle.IsCompleted
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $powershell.Stop()
        $watch.Stop()
        $endError = $null
        try {
            $null = $powershell.EndInvoke($handle)
        }
        catch {
            $endError = $_.Exception
            while ($endError -is [System.Management.Automation.MethodInvocationException] -and $null -ne $endError.InnerException) {
                $endError = $endError.InnerException
            }
        }

        $variable = $null
        if ($VariableName) {
            $variable = $powershell.Runspace.SessionStateProxy.GetVariable($VariableName)
        }

        [pscustomobject]@{
            State          = $powershell.InvocationStateInfo.State
            Reason         = $powershell.InvocationStateInfo.Reason
            EndInvokeError = $endError
            Output         = @($output)
            Errors         = @($powershell.Streams.Error)
            StopSeconds    = $watch.Elapsed.TotalSeconds
            Reached        = $reached
            Variable       = $variable
        }
    }
    finally {
        $powershell.Dispose()
    }
}

function Start-QwenTestTunnelCatcher {
    <#
    .SYNOPSIS
        Listens on a free loopback port as a stand-in HTTPS proxy that never answers, to see where a cmdlet
        would have gone: pass its Uri to -Proxy, then call Receive-QwenTestTunnelRequest.
    .DESCRIPTION
        An https request through a proxy starts with "CONNECT host:443 HTTP/1.1". The catcher accepts the
        connection and reads that line; nothing leaves the machine. Give the cmdlet -IdleTimeoutSec 1 -MaxRetry 0
        so it gives up waiting for the proxy's answer quickly.
    #>
    [CmdletBinding()]
    param()

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    [pscustomobject]@{
        Listener = $listener
        Uri      = [uri]('http://127.0.0.1:{0}/' -f $listener.LocalEndpoint.Port)
    }
}

function Receive-QwenTestTunnelRequest {
    <#
    .SYNOPSIS
        The head of the first request the catcher received (request line and headers, CRLF-separated), or $null
        when nothing connected within -TimeoutSec; then stops the catcher.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [psobject]$Catcher,

        [ValidateRange(1, 60)]
        [int]$TimeoutSec = 10
    )

    try {
        $accept = $Catcher.Listener.AcceptTcpClientAsync()
        if (-not $accept.Wait([System.TimeSpan]::FromSeconds($TimeoutSec))) {
            return $null
        }

        $client = $accept.Result
        try {
            $stream = $client.GetStream()
            $stream.ReadTimeout = $TimeoutSec * 1000
            $buffer = [byte[]]::new(4096)
            $text = ''
            while ($text -notmatch "`r`n`r`n") {
                $read = $stream.Read($buffer, 0, $buffer.Length)
                if ($read -le 0) {
                    break
                }

                $text += [System.Text.Encoding]::ASCII.GetString($buffer, 0, $read)
            }

            $text
        }
        finally {
            $client.Dispose()
        }
    }
    finally {
        $Catcher.Listener.Stop()
    }
}

Export-ModuleMember -Function @(
    'Get-QwenTestLastChatRequest'
    'Start-QwenTestSession'
    'Stop-QwenTestSession'
    'Get-QwenTestRepositoryRoot'
    'Set-QwenTestEnvironmentVariable'
    'Start-QwenTestServer'
    'Stop-QwenTestServer'
    'Invoke-QwenTestControl'
    'Add-QwenTestBehavior'
    'Get-QwenTestRequest'
    'Reset-QwenTestServer'
    'Set-QwenTestServerOption'
    'Wait-QwenTestCondition'
    'Invoke-QwenTestStop'
    'Start-QwenTestTunnelCatcher'
    'Receive-QwenTestTunnelRequest'
)
