# Copyright (c) QwenPS contributors. MIT License.
# The parameters every cmdlet that calls DashScope shares (-ApiKey, -Region, -BaseUri, -Proxy, -ProxyCredential,
# -ProxyUseDefaultCredentials, -TimeoutSec, -IdleTimeoutSec, -MaxRetry), checked on each of those cmdlets
# against what the test server (or a stand-in proxy on loopback) received.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:Server = $script:Session.Server
    $script:BaseUri = $script:Session.BaseUri
    $script:Document = Join-Path $TestDrive 'service.txt'
    [System.IO.File]::WriteAllText($script:Document, 'a document to upload', [System.Text.UTF8Encoding]::new($false))
    # Nothing listens there: a request that arrives at the test server through -Proxy cannot have gone direct.
    $script:Unreachable = 'http://127.0.0.1:9/compatible-mode/v1'

    # Runs one service cmdlet with -Arguments and returns what the user sees: the output and every error
    # record, terminating (Terminating) or not (Errors).
    function Invoke-ServiceCmdlet {
        param(
            [Parameter(Mandatory)]
            [string]$Name,

            [hashtable]$Arguments = @{}
        )

        $call = @{}
        switch ($Name) {
            'Invoke-QwenChat' { $call = @{ Prompt = 'x'; Model = 'qwen-plus' } }
            'Get-QwenFile' { $call = @{} }
            'Remove-QwenFile' { $call = @{ FileId = 'file-fe-missing'; Confirm = $false } }
            'Add-QwenFileReference' { $call = @{ LiteralPath = $script:Document } }
        }

        if (-not $Arguments.ContainsKey('BaseUri') -and -not $Arguments.ContainsKey('Region')) {
            $call['BaseUri'] = $script:BaseUri
        }

        foreach ($key in $Arguments.Keys) {
            $call[$key] = $Arguments[$key]
        }

        $terminating = $null
        $output = @()
        try {
            $output = @(& $Name @call -ErrorAction SilentlyContinue -ErrorVariable nonTerminating -WarningAction SilentlyContinue)
        }
        catch {
            $terminating = $_
        }

        $all = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        foreach ($record in @($nonTerminating) + @($terminating)) {
            if ($record -is [System.Management.Automation.ErrorRecord] -and -not @($all | Where-Object { [object]::ReferenceEquals($_, $record) })) {
                $all.Add($record)
            }
        }

        [pscustomobject]@{
            Output      = $output
            Terminating = $terminating
            All         = $all.ToArray()
        }
    }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Shared service parameters on <Name>' -ForEach @(
    @{ Name = 'Invoke-QwenChat'; Method = 'POST'; Path = '/chat/completions' }
    @{ Name = 'Get-QwenFile'; Method = 'GET'; Path = '/files' }
    @{ Name = 'Remove-QwenFile'; Method = 'DELETE'; Path = '/files/file-fe-missing' }
    @{ Name = 'Add-QwenFileReference'; Method = 'POST'; Path = '/files' }
) {
    BeforeEach {
        Reset-QwenTestServer
        Disconnect-Qwen
    }

    AfterEach {
        Disconnect-Qwen
    }

    Context '-ApiKey' {
        It 'sends -ApiKey as the bearer token of every request' {
            $key = ConvertTo-SecureString -String 'sk-given-on-the-call' -AsPlainText -Force

            $null = Invoke-ServiceCmdlet -Name $Name -Arguments @{ ApiKey = $key }

            $requests = @(Get-QwenTestRequest)
            $requests.Count | Should -BeGreaterThan 0
            foreach ($request in $requests) {
                $request.headers.Authorization | Should -BeExactly 'Bearer sk-given-on-the-call'
            }
        }

        It 'uses $env:DASHSCOPE_API_KEY without -ApiKey' {
            $null = Invoke-ServiceCmdlet -Name $Name

            @(Get-QwenTestRequest)[0].headers.Authorization | Should -BeExactly 'Bearer sk-pester-fake-0000000000'
        }

        It 'fails with MissingApiKey before any request when there is no key at all' {
            $saved = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $null
            try {
                $result = Invoke-ServiceCmdlet -Name $Name
            }
            finally {
                $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $saved
            }

            $result.Terminating | Should -Not -BeNullOrEmpty
            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'MissingApiKey,QwenPS.Commands.*'
            $result.Terminating.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::AuthenticationError)
            $result.Terminating.Exception | Should -BeOfType ([QwenPS.QwenException])
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context '-BaseUri and -Region' {
        It 'sends the request to -BaseUri' {
            $null = Invoke-ServiceCmdlet -Name $Name

            $request = @(Get-QwenTestRequest)[0]
            $request.method | Should -BeExactly $Method
            $request.path | Should -BeExactly $Path
        }

        It 'refuses -BaseUri with -Region before any request' {
            $result = Invoke-ServiceCmdlet -Name $Name -Arguments @{ BaseUri = $script:BaseUri; Region = 'Singapore' }

            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,QwenPS.Commands.*'
            $result.Terminating.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            [string]$result.Terminating.TargetObject | Should -BeExactly $script:BaseUri
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'refuses plain http to a host that is not loopback, before any request' {
            $result = Invoke-ServiceCmdlet -Name $Name -Arguments @{ BaseUri = 'http://example.com/compatible-mode/v1' }

            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'InsecureEndpoint,QwenPS.Commands.*'
            $result.Terminating.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::SecurityError)
        }

        It 'goes to the Singapore endpoint with -Region Singapore (seen at a stand-in proxy), even after Connect-Qwen -BaseUri' {
            $null = Connect-Qwen -BaseUri $script:BaseUri
            $catcher = Start-QwenTestTunnelCatcher

            $result = Invoke-ServiceCmdlet -Name $Name -Arguments @{ Region = 'Singapore'; Proxy = $catcher.Uri; IdleTimeoutSec = 1; MaxRetry = 0 }
            $head = Receive-QwenTestTunnelRequest -Catcher $catcher

            $head | Should -Match '^CONNECT dashscope-intl\.aliyuncs\.com:443 HTTP/1\.1'
            $result.All.Count | Should -BeGreaterThan 0
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context '-Proxy and its credentials' {
        It 'sends the request through -Proxy' {
            $result = Invoke-ServiceCmdlet -Name $Name -Arguments @{ BaseUri = $script:Unreachable; Proxy = $script:Server.RootUri; MaxRetry = 0 }

            $requests = @(Get-QwenTestRequest)
            $requests.Count | Should -BeGreaterThan 0
            $requests[0].path | Should -BeExactly $Path
            $requests[0].headers.Host | Should -BeExactly '127.0.0.1:9'
            @($result.All | Where-Object { $_.FullyQualifiedErrorId -like 'ConnectionFailed,*' }).Count | Should -Be 0
        }

        It 'answers the proxy''s challenge with -ProxyCredential' {
            Add-QwenTestBehavior @{ kind = 'error'; status = 407; code = 'proxy_auth'; message = 'Proxy authentication required'; headers = @{ 'Proxy-Authenticate' = 'Basic realm="qwenps"' }; path = $Path; method = $Method }
            $credential = [pscredential]::new('proxy-user', (ConvertTo-SecureString -String 'proxy-pass-7' -AsPlainText -Force))

            $result = Invoke-ServiceCmdlet -Name $Name -Arguments @{ BaseUri = $script:Unreachable; Proxy = $script:Server.RootUri; ProxyCredential = $credential; MaxRetry = 0 }

            $challenged = @(Get-QwenTestRequest -Method $Method | Where-Object { $_.path -eq $Path })
            $challenged.Count | Should -BeGreaterThan 1
            $challenged[0].responseStatus | Should -Be 407
            $expected = 'Basic ' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes('proxy-user:proxy-pass-7'))
            $challenged[1].headers.'Proxy-Authorization' | Should -BeExactly $expected
            # The password reaches the proxy and nothing the user sees.
            (($result.All | ForEach-Object { $_.ToString(); $_.Exception.ToString() }) -join "`n") | Should -Not -Match 'proxy-pass-7'
        }

        It 'refuses -ProxyCredential with -ProxyUseDefaultCredentials before any request' {
            $credential = [pscredential]::new('proxy-user', (ConvertTo-SecureString -String 'proxy-pass-7' -AsPlainText -Force))

            $result = Invoke-ServiceCmdlet -Name $Name -Arguments @{ Proxy = $script:Server.RootUri; ProxyCredential = $credential; ProxyUseDefaultCredentials = $true }

            $result.Terminating | Should -Not -BeNullOrEmpty
            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,QwenPS.Commands.*'
            $result.Terminating.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $result.Terminating.Exception.Message | Should -Match 'ProxyUseDefaultCredentials'
            $result.Terminating.Exception.Message | Should -Not -Match 'proxy-pass-7'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'accepts -ProxyUseDefaultCredentials alone and sends no credentials unasked' {
            $null = Invoke-ServiceCmdlet -Name $Name -Arguments @{ BaseUri = $script:Unreachable; Proxy = $script:Server.RootUri; ProxyUseDefaultCredentials = $true; MaxRetry = 0 }

            $requests = @(Get-QwenTestRequest)
            $requests.Count | Should -BeGreaterThan 0
            $requests[0].headers.Host | Should -BeExactly '127.0.0.1:9'
            $requests[0].headers.PSObject.Properties.Name | Should -Not -Contain 'Proxy-Authorization'
        }
    }

    Context 'Timeouts and retries' {
        It 'ends with Timeout when -TimeoutSec runs out' {
            Add-QwenTestBehavior @{ kind = 'delay'; delayMs = 20000; path = $Path; method = $Method }
            $watch = [System.Diagnostics.Stopwatch]::StartNew()

            $result = Invoke-ServiceCmdlet -Name $Name -Arguments @{ TimeoutSec = 1 }

            $watch.Stop()
            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'Timeout,QwenPS.Commands.*'
            $result.Terminating.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::OperationTimeout)
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 15
        }

        It 'ends with ResponseTimeout after -IdleTimeoutSec without headers, retried -MaxRetry times' -ForEach @(
            @{ MaxRetry = 0; Expected = 1 }
            @{ MaxRetry = 1; Expected = 2 }
        ) {
            Add-QwenTestBehavior @{ kind = 'delay'; delayMs = 20000; path = $Path; method = $Method } -Times 2

            $result = Invoke-ServiceCmdlet -Name $Name -Arguments @{ IdleTimeoutSec = 1; MaxRetry = $MaxRetry }

            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'ResponseTimeout,QwenPS.Commands.*'
            @(Get-QwenTestRequest -Method $Method | Where-Object { $_.path -eq $Path }).Count | Should -Be $Expected
        }

        It 'retries a 503 -MaxRetry <MaxRetry> times' -ForEach @(
            @{ MaxRetry = 0; Expected = 1; Fails = $true }
            @{ MaxRetry = 1; Expected = 2; Fails = $true }
            @{ MaxRetry = 2; Expected = 3; Fails = $false }
        ) {
            Add-QwenTestBehavior @{ kind = 'status'; status = 503; headers = @{ 'retry-after-ms' = '10' }; path = $Path; method = $Method } -Times 2

            $result = Invoke-ServiceCmdlet -Name $Name -Arguments @{ MaxRetry = $MaxRetry }

            @(Get-QwenTestRequest -Method $Method | Where-Object { $_.path -eq $Path }).Count | Should -Be $Expected
            $unavailable = @($result.All | Where-Object { $_.FullyQualifiedErrorId -like 'ServiceUnavailable,*' })
            $unavailable.Count | Should -Be ([int]$Fails)
        }

        It 'retries a 503 three times by default' {
            Add-QwenTestBehavior @{ kind = 'status'; status = 503; headers = @{ 'retry-after-ms' = '10' }; path = $Path; method = $Method } -Times 4

            $result = Invoke-ServiceCmdlet -Name $Name

            @(Get-QwenTestRequest -Method $Method | Where-Object { $_.path -eq $Path }).Count | Should -Be 4
            @($result.All | Where-Object { $_.FullyQualifiedErrorId -like 'ServiceUnavailable,*' }).Count | Should -Be 1
        }
    }

    Context 'Error records from the service' {
        It 'quotes the request id in ErrorDetails.RecommendedAction' {
            Add-QwenTestBehavior @{ kind = 'error'; status = 403; code = 'AccessDenied'; message = 'Access denied.'; path = $Path; method = $Method }

            $result = Invoke-ServiceCmdlet -Name $Name

            $record = @($result.All | Where-Object { $_.FullyQualifiedErrorId -like 'AccessDenied,*' })
            $record.Count | Should -Be 1
            $requestId = @(Get-QwenTestRequest -Method $Method | Where-Object { $_.path -eq $Path })[0].requestId
            $record[0].FullyQualifiedErrorId | Should -BeLike ('AccessDenied,QwenPS.Commands.' + ($Name -replace '-', '') + 'Command')
            $record[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::PermissionDenied)
            $record[0].Exception | Should -BeOfType ([QwenPS.QwenException])
            $record[0].Exception.StatusCode | Should -Be 403
            $record[0].Exception.RequestId | Should -BeExactly $requestId
            $record[0].ErrorDetails.Message | Should -BeExactly $record[0].Exception.Message
            $record[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($requestId))
        }
    }
}
