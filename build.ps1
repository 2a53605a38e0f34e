# Copyright (c) QwenPS contributors. MIT License.

<#
.SYNOPSIS
    Builds, documents, tests and packages the QwenPS module.

.DESCRIPTION
    Tasks (several may be given; they always run in the order Build, Docs, Test, Package):

    Build    dotnet build of src/QwenPS (its LayOutModule target puts the module DLLs in bin/) and of the
             local DashScope test server (tests/QwenPS.TestServer).
    Docs     docs/en-US (PlatyPS markdown, schema 2.0.0) to MAML help (QwenPS.dll-Help.xml) and the about
             topic (about_QwenPS.help.txt), written to en-US/ next to QwenPS.psd1. Get-Help looks for a
             module's help in <ModuleBase>/<culture>/, and ModuleBase is the folder of the manifest, not bin/.
             Uses Microsoft.PowerShell.PlatyPS (1.x) when installed, else platyPS (0.14.x), else installs
             Microsoft.PowerShell.PlatyPS for the current user (unless -NoInstall, which makes it fail).
    Test     dotnet test (xunit), then the Pester 5 suite in tests/ in a fresh pwsh process, so the module
             DLL is never loaded, and locked, in this session. Needs PowerShell 7.4 or later.
    Package  Build (Release) and Docs, then output/QwenPS/<ModuleVersion>/ with QwenPS.psd1, LICENSE, bin/ and
             en-US/, checked with Test-ModuleManifest.
    All      Build, Docs, Test and Package.

    Build, Docs and Package also run on Windows PowerShell 5.1.

.PARAMETER Task
    The tasks to run. Default: Build.

.PARAMETER Configuration
    The dotnet build configuration for Build and Test. Package always builds Release.

.PARAMETER NoInstall
    Do not install a missing Pester (5.5 or later) or PlatyPS for the current user from the PowerShell
    Gallery: the Test or Docs task then fails, saying what to install. Without it, they are installed.

.EXAMPLE
    ./build.ps1

    Builds the module into bin/; then `Import-Module ./QwenPS.psd1` in a new session loads it.

.EXAMPLE
    ./build.ps1 -Task Build, Test -Configuration Debug

.EXAMPLE
    ./build.ps1 -Task All -Verbose
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package', 'All')]
    [string[]]$Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Release',

    [switch]$NoInstall
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$script:ModuleName = 'QwenPS'
$script:RepoRoot = $PSScriptRoot
$script:ManifestPath = Join-Path $script:RepoRoot 'QwenPS.psd1'
$script:ModuleProject = [System.IO.Path]::Combine($script:RepoRoot, 'src', 'QwenPS', 'QwenPS.csproj')
$script:TestServerProject = [System.IO.Path]::Combine($script:RepoRoot, 'tests', 'QwenPS.TestServer', 'QwenPS.TestServer.csproj')
$script:UnitTestProject = [System.IO.Path]::Combine($script:RepoRoot, 'tests', 'QwenPS.Tests', 'QwenPS.Tests.csproj')
$script:TestsDir = Join-Path $script:RepoRoot 'tests'
$script:BinDir = Join-Path $script:RepoRoot 'bin'
$script:DocsDir = [System.IO.Path]::Combine($script:RepoRoot, 'docs', 'en-US')
$script:HelpDir = Join-Path $script:RepoRoot 'en-US'
$script:OutputDir = Join-Path $script:RepoRoot 'output'
$script:TestResultsDir = Join-Path $script:OutputDir 'TestResults'
$script:MamlFileName = 'QwenPS.dll-Help.xml'

# What already ran in this invocation (Package runs Build and Docs itself).
$script:BuiltConfigurations = @{}
$script:DocsDone = $false

function Write-Step {
    param([Parameter(Mandatory)][string]$Message)

    Write-Host ''
    Write-Host ('==> ' + $Message) -ForegroundColor Cyan
}

function Write-Skipped {
    # A warning that cannot be missed in a long build log.
    param([Parameter(Mandatory)][string]$Message)

    $rule = '!' * 100
    Write-Host $rule -ForegroundColor Yellow
    Write-Warning $Message
    Write-Host $rule -ForegroundColor Yellow
}

function Find-ToolModule {
    # The newest installed version of a module within [MinimumVersion, BelowVersion), or $null.
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][version]$MinimumVersion,
        [version]$BelowVersion
    )

    Get-Module -ListAvailable -Name $Name |
        Where-Object { $_.Version -ge $MinimumVersion -and ($null -eq $BelowVersion -or $_.Version -lt $BelowVersion) } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
}

function Install-ToolModule {
    # Installs a build tool for the current user (CI machines start without Pester 5 or PlatyPS), or fails
    # with -NoInstall: a test or help step is never skipped where PowerShell can run it.
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][version]$MinimumVersion,
        [version]$BelowVersion,
        [Parameter(Mandatory)][string]$NeededFor
    )

    if ($NoInstall) {
        throw "$NeededFor needs $Name $MinimumVersion or later, which is not installed (-NoInstall): Install-Module $Name -MinimumVersion $MinimumVersion -Scope CurrentUser"
    }

    Write-Host "Installing $Name $MinimumVersion or later for the current user from the PowerShell Gallery ($NeededFor needs it)."
    # -SkipPublisherCheck: Windows ships Pester 3 signed by another publisher, which would block Pester 5.
    $install = @{ Name = $Name; MinimumVersion = $MinimumVersion; Scope = 'CurrentUser'; Repository = 'PSGallery' }
    if ($null -ne $BelowVersion) {
        # The newest release below $BelowVersion: the suite is written for that major version.
        $install.MaximumVersion = '{0}.999.999' -f ($BelowVersion.Major - 1)
    }

    Install-Module @install -Force -AllowClobber -SkipPublisherCheck -ErrorAction Stop
    $installed = Find-ToolModule -Name $Name -MinimumVersion $MinimumVersion -BelowVersion $BelowVersion
    if ($null -eq $installed) {
        throw "Installed $Name, but Get-Module -ListAvailable does not find $MinimumVersion or later; check `$env:PSModulePath."
    }

    $installed
}

function Get-DotnetPath {
    $dotnet = Get-Command -Name 'dotnet' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $dotnet) {
        throw 'The .NET SDK (dotnet) is not on PATH. Install the SDK that global.json names, then run the build again.'
    }

    $dotnet.Source
}

function Invoke-Dotnet {
    param([Parameter(Mandatory)][string[]]$ArgumentList)

    $dotnet = Get-DotnetPath
    Write-Verbose ('dotnet ' + ($ArgumentList -join ' '))
    & $dotnet @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw ("'dotnet {0}' failed with exit code {1}." -f ($ArgumentList -join ' '), $LASTEXITCODE)
    }
}

function Invoke-BuildTask {
    param([Parameter(Mandatory)][string]$BuildConfiguration)

    if ($script:BuiltConfigurations.ContainsKey($BuildConfiguration)) {
        Write-Verbose "Build ($BuildConfiguration) already ran in this invocation."
        return
    }

    Write-Step "Build ($BuildConfiguration): src/QwenPS, laid out in bin/"
    Invoke-Dotnet -ArgumentList @('build', $script:ModuleProject, '-c', $BuildConfiguration, '--nologo')
    $dll = Join-Path $script:BinDir 'QwenPS.dll'
    if (-not (Test-Path -LiteralPath $dll -PathType Leaf)) {
        throw "The build did not put $dll in place (see the LayOutModule target in src/QwenPS/QwenPS.csproj)."
    }

    Write-Verbose ('bin/ now holds: ' + ((Get-ChildItem -LiteralPath $script:BinDir -File | ForEach-Object { $_.Name }) -join ', '))

    Write-Step "Build ($BuildConfiguration): tests/QwenPS.TestServer"
    Invoke-Dotnet -ArgumentList @('build', $script:TestServerProject, '-c', $BuildConfiguration, '--nologo')

    $script:BuiltConfigurations[$BuildConfiguration] = $true
}

function Convert-AboutMarkdown {
    # Markdown about topic to the plain text Get-Help shows: no front matter, no '#' on headings, code fences
    # removed (their lines indented), everything else kept as written. Written as UTF-8 with a BOM for 5.1.
    param(
        [Parameter(Mandatory)][string]$Path,
        [Parameter(Mandatory)][string]$Destination
    )

    $lines = [System.IO.File]::ReadAllLines($Path, [System.Text.Encoding]::UTF8)
    $text = New-Object -TypeName 'System.Collections.Generic.List[string]'
    $index = 0
    if ($lines.Length -gt 0 -and $lines[0].Trim() -eq '---') {
        $index = 1
        while ($index -lt $lines.Length -and $lines[$index].Trim() -ne '---') {
            $index++
        }

        $index++
    }

    $inFence = $false
    while ($index -lt $lines.Length) {
        $line = $lines[$index]
        $index++
        if ($line -match '^\s*(```|~~~)') {
            $inFence = -not $inFence
        }
        elseif ($inFence) {
            $text.Add('    ' + $line)
        }
        elseif ($line -match '^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$') {
            $text.Add($Matches[1])
        }
        else {
            $text.Add($line.TrimEnd())
        }
    }

    $content = ($text -join [System.Environment]::NewLine).Trim() + [System.Environment]::NewLine
    [System.IO.File]::WriteAllText($Destination, $content, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $true))
}

function Invoke-DocsTask {
    if ($script:DocsDone) {
        Write-Verbose 'Docs already ran in this invocation.'
        return
    }

    Write-Step 'Docs: docs/en-US to en-US/QwenPS.dll-Help.xml and about_QwenPS.help.txt'
    if (-not (Test-Path -LiteralPath $script:DocsDir -PathType Container)) {
        throw "There is no $script:DocsDir folder with the PlatyPS markdown."
    }

    $markdown = @(Get-ChildItem -LiteralPath $script:DocsDir -Filter '*.md' -File | Sort-Object -Property Name)
    # QwenPS.md is the module page and about_*.md are about topics: neither is command help.
    $commandPages = @($markdown | Where-Object { $_.Name -ne ($script:ModuleName + '.md') -and $_.Name -notlike 'about_*' })
    $aboutPages = @($markdown | Where-Object { $_.Name -like 'about_*.md' })
    if ($commandPages.Count -eq 0) {
        throw "There are no command help pages (Verb-Noun.md) in $script:DocsDir."
    }

    $platyV2 = Find-ToolModule -Name 'Microsoft.PowerShell.PlatyPS' -MinimumVersion '1.0.0'
    # Only 0.x of the old name has New-ExternalHelp: its 2.0.0 previews are the new engine under the old name.
    $platyV1 = Find-ToolModule -Name 'platyPS' -MinimumVersion '0.14.0' -BelowVersion '1.0.0'
    if ($null -eq $platyV2 -and $null -eq $platyV1) {
        $platyV2 = Install-ToolModule -Name 'Microsoft.PowerShell.PlatyPS' -MinimumVersion '1.0.0' -NeededFor 'The Docs task'
    }

    $null = New-Item -ItemType Directory -Path $script:HelpDir -Force
    $mamlPath = Join-Path $script:HelpDir $script:MamlFileName
    foreach ($stale in @($mamlPath) + @($aboutPages | ForEach-Object { Join-Path $script:HelpDir ($_.BaseName + '.help.txt') })) {
        if (Test-Path -LiteralPath $stale) {
            Remove-Item -LiteralPath $stale -Force
        }
    }

    if ($null -ne $platyV2) {
        Write-Verbose "Using Microsoft.PowerShell.PlatyPS $($platyV2.Version)."
        Import-Module -Name $platyV2.Path -Force

        $probes = @(Measure-PlatyPSMarkdown -LiteralPath @($commandPages | ForEach-Object { $_.FullName }))
        $commandFiles = @($probes | Where-Object { ([string]$_.FileType) -match '\bCommandHelp\b' } | ForEach-Object { [string]$_.FilePath })
        foreach ($probe in $probes) {
            if (([string]$probe.FileType) -notmatch '\bCommandHelp\b') {
                Write-Warning "Not command help, left out of the MAML: $($probe.FilePath) ($($probe.FileType))"
            }
        }

        if ($commandFiles.Count -eq 0) {
            throw "Measure-PlatyPSMarkdown found no command help in $script:DocsDir."
        }

        # Export-MamlCommandHelp names the file after the module (<ModuleName>-Help.xml), in a <ModuleName>
        # subfolder in some versions; the cmdlets look for QwenPS.dll-Help.xml (the DLL's name), so stage and rename.
        $staging = Join-Path $script:OutputDir 'maml'
        if (Test-Path -LiteralPath $staging) {
            Remove-Item -LiteralPath $staging -Recurse -Force
        }

        $commandHelp = @(Import-MarkdownCommandHelp -LiteralPath $commandFiles)
        $null = $commandHelp | Export-MamlCommandHelp -OutputFolder $staging -Force
        $produced = @(Get-ChildItem -LiteralPath $staging -Recurse -File -Filter '*.xml')
        if ($produced.Count -ne 1) {
            throw "Expected one MAML file from Export-MamlCommandHelp under $staging; found $($produced.Count)."
        }

        Copy-Item -LiteralPath $produced[0].FullName -Destination $mamlPath -Force
        Remove-Item -LiteralPath $staging -Recurse -Force
    }
    else {
        Write-Verbose "Using platyPS $($platyV1.Version)."
        Import-Module -Name $platyV1.Path -Force
        # New-ExternalHelp reads the Verb-Noun.md pages (so not the module page) and the about_ topics.
        $null = New-ExternalHelp -Path $script:DocsDir -OutputPath $script:HelpDir -Force
    }

    if (-not (Test-Path -LiteralPath $mamlPath -PathType Leaf)) {
        throw "The Docs step did not produce $mamlPath (check the 'external help file' front matter of the pages)."
    }

    $maml = New-Object -TypeName System.Xml.XmlDocument
    $maml.Load($mamlPath)
    $documented = @($maml.DocumentElement.ChildNodes | Where-Object { $_.LocalName -eq 'command' } | ForEach-Object {
            $name = $_.SelectSingleNode("*[local-name()='details']/*[local-name()='name']")
            if ($null -ne $name) { $name.InnerText.Trim() } else { '?' }
        })
    Write-Verbose ('MAML help for: ' + ($documented -join ', '))

    foreach ($about in $aboutPages) {
        $target = Join-Path $script:HelpDir ($about.BaseName + '.help.txt')
        if (-not (Test-Path -LiteralPath $target -PathType Leaf)) {
            Convert-AboutMarkdown -Path $about.FullName -Destination $target
        }

        Write-Verbose "About topic: $target"
    }

    Write-Host ("Help for {0} command(s) and {1} about topic(s) in {2}" -f $documented.Count, $aboutPages.Count, $script:HelpDir)
    $script:DocsDone = $true
}

function Invoke-TestTask {
    param([Parameter(Mandatory)][string]$BuildConfiguration)

    $version = $PSVersionTable.PSVersion
    if ($PSVersionTable.PSEdition -ne 'Core' -or $version.Major -lt 7 -or ($version.Major -eq 7 -and $version.Minor -lt 4)) {
        throw ("The Test task needs PowerShell 7.4 or later; this is {0} {1}. Run it from pwsh: pwsh -File ./build.ps1 -Task Test" -f $PSVersionTable.PSEdition, $version)
    }

    $null = New-Item -ItemType Directory -Path $script:TestResultsDir -Force

    Write-Step "Test ($BuildConfiguration): xunit (tests/QwenPS.Tests)"
    # dotnet test also builds the module (and lays it out in bin/) and the test server in this configuration.
    Invoke-Dotnet -ArgumentList @('test', $script:UnitTestProject, '-c', $BuildConfiguration, '--nologo',
        '--results-directory', $script:TestResultsDir, '--logger', 'trx;LogFileName=QwenPS.Tests.trx')

    Write-Step 'Test: Pester (tests/*.Tests.ps1) in a fresh pwsh'
    $pester = Find-ToolModule -Name 'Pester' -MinimumVersion '5.5.0' -BelowVersion '6.0.0'
    if ($null -eq $pester) {
        $pester = Install-ToolModule -Name 'Pester' -MinimumVersion '5.5.0' -BelowVersion '6.0.0' -NeededFor 'The Test task'
    }

    $resultPath = Join-Path $script:TestResultsDir 'pester.xml'
    $executable = 'pwsh'
    if ($IsWindows) {
        $executable = 'pwsh.exe'
    }

    $pwsh = Join-Path $PSHOME $executable
    if (-not (Test-Path -LiteralPath $pwsh -PathType Leaf)) {
        throw "Cannot find $pwsh to run the Pester suite in."
    }

    # Everything the child needs comes through the environment, so nothing has to be quoted for the command line.
    $childScript = @'
$ErrorActionPreference = 'Stop'
Import-Module -Name $env:QWENPS_PESTER_MODULE -Force
$ErrorActionPreference = 'Continue'
$configuration = New-PesterConfiguration
$configuration.Run.Path = $env:QWENPS_PESTER_TESTS
$configuration.Run.Exit = $true
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $env:QWENPS_PESTER_RESULT
$result = Invoke-Pester -Configuration $configuration
if ($null -eq $result -or $result.Result -ne 'Passed') {
    exit 1
}
exit 0
'@
    $encoded = [System.Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($childScript))
    $childEnvironment = [ordered]@{
        QWENPS_PESTER_MODULE        = $pester.Path
        QWENPS_PESTER_TESTS         = $script:TestsDir
        QWENPS_PESTER_RESULT        = $resultPath
        # The test helpers start the test server in this configuration, without rebuilding it (dotnet test did).
        QWENPS_TEST_CONFIGURATION   = $BuildConfiguration
        QWENPS_TEST_SERVER_NO_BUILD = '1'
    }

    $saved = @{}
    foreach ($name in $childEnvironment.Keys) {
        $saved[$name] = [System.Environment]::GetEnvironmentVariable($name)
        [System.Environment]::SetEnvironmentVariable($name, [string]$childEnvironment[$name])
    }

    try {
        $arguments = @('-NoProfile', '-NonInteractive')
        if ($IsWindows) {
            $arguments += @('-ExecutionPolicy', 'Bypass')
        }

        $arguments += @('-EncodedCommand', $encoded)
        Write-Verbose "$pwsh -NoProfile -NonInteractive -EncodedCommand <Invoke-Pester with Pester $($pester.Version)>"
        & $pwsh @arguments
        $exitCode = $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) {
            [System.Environment]::SetEnvironmentVariable($name, $saved[$name])
        }
    }

    if ($exitCode -ne 0) {
        throw "The Pester suite failed (exit code $exitCode). Results: $resultPath"
    }

    Write-Host "Pester passed. Results: $resultPath"
}

function Invoke-PackageTask {
    Write-Step 'Package: Build (Release) and Docs first'
    Invoke-BuildTask -BuildConfiguration 'Release'
    Invoke-DocsTask

    $manifest = Import-PowerShellDataFile -LiteralPath $script:ManifestPath
    $version = [string]$manifest['ModuleVersion']
    $destination = [System.IO.Path]::Combine($script:OutputDir, $script:ModuleName, $version)
    Write-Step "Package: $destination"

    if (Test-Path -LiteralPath $destination) {
        Remove-Item -LiteralPath $destination -Recurse -Force
    }

    $null = New-Item -ItemType Directory -Path $destination -Force
    Copy-Item -LiteralPath $script:ManifestPath -Destination $destination
    Copy-Item -LiteralPath (Join-Path $script:RepoRoot 'LICENSE') -Destination $destination
    if (-not (Test-Path -LiteralPath (Join-Path $script:BinDir 'QwenPS.dll') -PathType Leaf)) {
        throw "There is no bin/QwenPS.dll to package."
    }

    Copy-Item -LiteralPath $script:BinDir -Destination (Join-Path $destination 'bin') -Recurse
    if (Test-Path -LiteralPath (Join-Path $script:HelpDir $script:MamlFileName) -PathType Leaf) {
        Copy-Item -LiteralPath $script:HelpDir -Destination (Join-Path $destination 'en-US') -Recurse
    }
    else {
        Write-Skipped "The package has NO HELP: $($script:HelpDir) has no $($script:MamlFileName) (the Docs step was skipped)."
    }

    $packagedManifest = Join-Path $destination 'QwenPS.psd1'
    $info = Test-ModuleManifest -Path $packagedManifest
    Write-Verbose ('Packaged files: ' + ((Get-ChildItem -LiteralPath $destination -Recurse -File | ForEach-Object { $_.Name }) -join ', '))
    Write-Host ("Packaged {0} {1} in {2}" -f $info.Name, $info.Version, $destination)
}

$order = @('Build', 'Docs', 'Test', 'Package')
if ($Task -contains 'All') {
    $requested = $order
}
else {
    $requested = @($order | Where-Object { $Task -contains $_ })
}

Push-Location -LiteralPath $PSScriptRoot
try {
    Write-Verbose ("Tasks: {0}; configuration {1}; PowerShell {2} {3}" -f ($requested -join ', '), $Configuration, $PSVersionTable.PSEdition, $PSVersionTable.PSVersion)
    foreach ($step in $requested) {
        switch ($step) {
            'Build' { Invoke-BuildTask -BuildConfiguration $Configuration }
            'Docs' { Invoke-DocsTask }
            'Test' { Invoke-TestTask -BuildConfiguration $Configuration }
            'Package' { Invoke-PackageTask }
        }
    }

    Write-Host ''
    Write-Host ('Done: ' + ($requested -join ', ')) -ForegroundColor Green
}
finally {
    Pop-Location
}
