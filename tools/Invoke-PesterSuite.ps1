# Copyright (c) QwenPS contributors. MIT License.

<#
.SYNOPSIS
    Runs the Pester suite in tests/ with Pester's own console output; build.ps1 -Task Test starts it in a fresh pwsh.

.DESCRIPTION
    Imports the given Pester 5 module, runs every *.Tests.ps1 under -TestsPath with detailed console output,
    writes NUnit XML to -ResultPath and the counts as JSON to -CountsPath, prints
    'Pester: N passed, N failed, N skipped', and exits 0 only when every test passed.

.EXAMPLE
    pwsh -NoProfile -File ./tools/Invoke-PesterSuite.ps1 -PesterPath ~/.nuget/packages/pester/5.9.1/tools/Pester.psd1 -TestsPath ./tests -ResultPath ./output/TestResults/pester.xml
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string]$PesterPath,
    [Parameter(Mandatory)][string]$TestsPath,
    [Parameter(Mandatory)][string]$ResultPath,
    [string]$CountsPath
)

$ErrorActionPreference = 'Stop'
if ($null -ne (Get-Variable -Name PSStyle -ErrorAction SilentlyContinue) -and [System.Console]::IsOutputRedirected) {
    # A CI log reads better without ANSI colour codes.
    $PSStyle.OutputRendering = 'PlainText'
}

Import-Module -Name $PesterPath -Force
$ErrorActionPreference = 'Continue'

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestsPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $configuration

if ($null -eq $result) {
    Write-Host 'Pester returned no result.'
    exit 1
}

# Tests that never ran because their container failed (a BeforeAll that threw) count as failed.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
$skipped = $result.SkippedCount + $result.NotRunCount
if ($CountsPath) {
    [ordered]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $skipped } |
        ConvertTo-Json | Set-Content -LiteralPath $CountsPath -Encoding utf8
}

Write-Host ('Pester: {0} passed, {1} failed, {2} skipped' -f $result.PassedCount, $failed, $skipped)
if ($result.Result -ne 'Passed' -or $failed -gt 0) {
    exit 1
}

exit 0
