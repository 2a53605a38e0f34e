# Copyright (c) QwenPS contributors. MIT License.
# Ctrl+C: every cmdlet that calls the service stops at once with a stopped pipeline (PipelineStoppedException),
# not an error record, while it waits for the service; Invoke-QwenChat keeps what had arrived in -ResponseVariable.
# Each case runs in its own PowerShell instance, stopped with PowerShell.Stop() as the console host does on Ctrl+C.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:BaseUri = $script:Session.BaseUri
    $script:Document = Join-Path $TestDrive 'stop.txt'
    [System.IO.File]::WriteAllText($script:Document, 'a document to upload', [System.Text.UTF8Encoding]::new($false))

    # Generous: a stop takes milliseconds; the server would keep the call busy for 30 s or more.
    $script:StopBoundSec = 10

    function Assert-Stopped {
        param($Result)

        $Result.Reached | Should -BeTrue -Because 'the call must still be running when it is stopped'
        $Result.State | Should -Be ([System.Management.Automation.PSInvocationState]::Stopped)
        $Result.Reason | Should -BeOfType ([System.Management.Automation.PipelineStoppedException])
        $Result.EndInvokeError | Should -BeOfType ([System.Management.Automation.PipelineStoppedException])
        @($Result.Errors).Count | Should -Be 0 -Because (($Result.Errors | ForEach-Object { $_.FullyQualifiedErrorId }) -join '; ')
        $Result.StopSeconds | Should -BeLessThan $script:StopBoundSec
    }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Ctrl+C' {
    BeforeEach {
        Reset-QwenTestServer
    }

    Context 'Invoke-QwenChat in the middle of a stream' {
        BeforeAll {
            $script:Chunks = @(1..60 | ForEach-Object { "c$_ " })
            $script:Full = -join $script:Chunks
        }

        It 'stops the pipeline and keeps the chunks written and the partial response in -ResponseVariable (-Stream)' {
            Add-QwenTestBehavior @{ kind = 'stream'; chunkDelayMs = 500; reply = @{ contentChunks = $script:Chunks } }

            $result = Invoke-QwenTestStop -VariableName 'partial' -StopWhen { param($output) $output.Count -ge 3 } -Script @'
param($BaseUri)
Invoke-QwenChat -Prompt 'x' -Model qwen-plus -Stream -ResponseVariable partial -BaseUri $BaseUri
'@

            Assert-Stopped $result
            $written = -join @($result.Output | Where-Object { $_ -is [QwenPS.QwenContentChunk] } | ForEach-Object { $_.Text })
            $written | Should -Not -BeNullOrEmpty
            $result.Variable | Should -BeOfType ([QwenPS.QwenChatResponse])
            $result.Variable.Incomplete | Should -BeTrue
            $result.Variable.Content.StartsWith($written) | Should -BeTrue
            $script:Full.StartsWith($result.Variable.Content) | Should -BeTrue
            $result.Variable.Content.Length | Should -BeLessThan $script:Full.Length
        }

        It 'keeps the partial response in -ResponseVariable without -Stream' {
            Add-QwenTestBehavior @{ kind = 'stream'; chunkDelayMs = 500; reply = @{ contentChunks = $script:Chunks } }

            # qwq-plus is streamed under the hood; stop once the server has sent a few chunks.
            $started = [System.DateTime]::UtcNow
            $result = Invoke-QwenTestStop -VariableName 'partial' -StopWhen { ([System.DateTime]::UtcNow - $started).TotalSeconds -ge 2.5 } -Script @'
param($BaseUri)
Invoke-QwenChat -Prompt 'x' -Model qwq-plus -ResponseVariable partial -BaseUri $BaseUri
'@

            Assert-Stopped $result
            @($result.Output).Count | Should -Be 0
            $result.Variable | Should -BeOfType ([QwenPS.QwenChatResponse])
            $result.Variable.Incomplete | Should -BeTrue
            $result.Variable.Content | Should -Not -BeNullOrEmpty
            $script:Full.StartsWith($result.Variable.Content) | Should -BeTrue
        }
    }

    Context 'While waiting' {
        It 'stops Invoke-QwenChat while it waits for a Retry-After' {
            Add-QwenTestBehavior @{ kind = 'error'; status = 429; code = 'limit_requests'; message = 'slow down'; headers = @{ 'Retry-After' = '50' }; path = '/chat/completions' }

            $result = Invoke-QwenTestStop -StopWhen { @(Get-QwenTestRequest).Count -ge 1 -and (Invoke-QwenTestControl -Endpoint 'stats').activeRequests -eq 0 } -Script @'
param($BaseUri)
Invoke-QwenChat -Prompt 'x' -Model qwen-plus -BaseUri $BaseUri -WarningAction SilentlyContinue
'@

            Assert-Stopped $result
            @(Get-QwenTestRequest).Count | Should -Be 1
        }

        It 'stops <Name> while the service has not answered' -ForEach @(
            @{ Name = 'Invoke-QwenChat'; Script = 'param($BaseUri) Invoke-QwenChat -Prompt x -Model qwen-plus -BaseUri $BaseUri' }
            @{ Name = 'Get-QwenFile'; Script = 'param($BaseUri) Get-QwenFile -BaseUri $BaseUri' }
            @{ Name = 'Get-QwenFile -FileId'; Script = 'param($BaseUri) Get-QwenFile -FileId file-fe-slow -BaseUri $BaseUri' }
            @{ Name = 'Remove-QwenFile'; Script = 'param($BaseUri) Remove-QwenFile -FileId file-fe-slow -Confirm:$false -BaseUri $BaseUri' }
            @{ Name = 'Add-QwenFileReference'; Script = 'param($BaseUri, $Path) Add-QwenFileReference -LiteralPath $env:QWENPS_STOP_DOCUMENT -BaseUri $BaseUri' }
        ) {
            Add-QwenTestBehavior @{ kind = 'delay'; delayMs = 30000 }
            $saved = Set-QwenTestEnvironmentVariable -Name 'QWENPS_STOP_DOCUMENT' -Value $script:Document
            try {
                $result = Invoke-QwenTestStop -Script $Script
            }
            finally {
                $null = Set-QwenTestEnvironmentVariable -Name 'QWENPS_STOP_DOCUMENT' -Value $saved
            }

            Assert-Stopped $result
            @(Get-QwenTestRequest).Count | Should -Be 1
        }

        It 'stops Add-QwenFileReference while it waits for DashScope to process the file' {
            $null = Set-QwenTestServerOption @{ processingPolls = 1000000 }
            $saved = Set-QwenTestEnvironmentVariable -Name 'QWENPS_STOP_DOCUMENT' -Value $script:Document
            try {
                $result = Invoke-QwenTestStop -StopWhen { @(Get-QwenTestRequest -Method GET).Count -ge 2 } -Script @'
param($BaseUri)
Add-QwenFileReference -LiteralPath $env:QWENPS_STOP_DOCUMENT -BaseUri $BaseUri
'@
            }
            finally {
                $null = Set-QwenTestEnvironmentVariable -Name 'QWENPS_STOP_DOCUMENT' -Value $saved
            }

            Assert-Stopped $result
            @($result.Output).Count | Should -Be 0
        }
    }
}
