#Requires -Version 7.4
# Copyright (c) QwenPS contributors. MIT License.
<#
    What function calling costs on top of a chat, measured in PowerShell against the local test server:
    the schema of a command (metadata + help), one round of the tool loop (a call through PowerShell's binder
    in a nested pipeline, then the next request), and the serialisation of a large result. Median of -Runs.
    Not a test: numbers go to docs/performance.md, "Function calling".
      dotnet pwsh -NoProfile -File bench/Tools/Measure-ToolLoop.ps1 [-Runs 7]
#>
param([ValidateRange(3, 100)][int]$Runs = 7)

$root = Join-Path $PSScriptRoot '..' '..'
Import-Module (Join-Path $root 'QwenPS.psd1') -Force
Import-Module (Join-Path $root 'tests' 'TestHelpers.psm1') -Force
$session = Start-QwenTestSession
function Median([double[]]$values) { $sorted = $values | Sort-Object; $sorted[[int][math]::Floor($sorted.Count / 2)] }
function Measure-Ms([scriptblock]$block) { (Measure-Command $block).TotalMilliseconds }

try {
    $base = $session.BaseUri
    function Get-Nothing { param([int]$N) $N }
    $null = New-QwenTool -Command Get-ChildItem; $null = Invoke-QwenChat 'warm' -BaseUri $base   # JIT and module caches

    $schema = Median @(1..$Runs | ForEach-Object { Measure-Ms { $null = New-QwenTool -Command Get-ChildItem } })
    $schemaFunction = Median @(1..$Runs | ForEach-Object { Measure-Ms { $null = New-QwenTool -Command Get-Nothing } })

    $rounds = 20
    $plain = Median @(1..$Runs | ForEach-Object {
            Reset-QwenTestServer
            Measure-Ms { 1..($rounds + 1) | ForEach-Object { $null = Invoke-QwenChat 'x' -BaseUri $base } }
        })
    $loop = Median @(1..$Runs | ForEach-Object {
            Reset-QwenTestServer
            Add-QwenTestBehavior @{ kind = 'toolLoop'; toolCalls = @(@{ name = 'Get-Nothing'; argumentFragments = '{"N":1}' }) }
            Measure-Ms { $null = Invoke-QwenChat 'x' -Tool Get-Nothing -ToolInvocation Auto -MaxToolRounds $rounds -BaseUri $base 3>$null }
        })

    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('qwenps-bench-' + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $folder
    1..200 | ForEach-Object { Set-Content -Path (Join-Path $folder "file$_.txt") -Value $_ }
    $arguments = @{ Path = @($folder) } | ConvertTo-Json -Compress
    $listing = Median @(1..$Runs | ForEach-Object {
            Reset-QwenTestServer
            Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ toolCalls = @(@{ id = 'c1'; name = 'Get-ChildItem'; argumentFragments = $arguments }) } }
            Measure-Ms { $script:r = Invoke-QwenChat 'x' -Tool Get-ChildItem -ToolInvocation Auto -BaseUri $base }
        })
    Remove-Item -LiteralPath $folder -Recurse -Force

    [pscustomobject]@{
        'Schema of Get-ChildItem (ms)'                 = [math]::Round($schema, 1)
        'Schema of a small function (ms)'              = [math]::Round($schemaFunction, 1)
        "Plain chat, $($rounds + 1) requests (ms)"     = [math]::Round($plain, 1)
        "Tool loop, $rounds rounds + answer (ms)"      = [math]::Round($loop, 1)
        'Overhead per round (ms)'                      = [math]::Round(($loop - $plain) / $rounds, 2)
        'Get-ChildItem of 200 files, capped (ms)'      = [math]::Round($listing, 1)
        'Its result sent (chars)'                      = $script:r.ToolRuns[0].Content.Length
    } | Format-List
}
finally {
    Stop-QwenTestSession -Session $session
}
