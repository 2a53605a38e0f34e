# Copyright (c) QwenPS contributors. MIT License.

<#
.SYNOPSIS
    Builds, documents, packages and tests the QwenPS module.

.DESCRIPTION
    Tasks (several may be given, as an array or as one comma-separated string; each runs once, after the
    tasks it depends on, in the order Build, Docs, Package, Test):

    Build    dotnet build of src/QwenPS (its LayOutModule target puts the module DLLs in bin/) and of the
             local DashScope test server (tests/QwenPS.TestServer).
    Docs     docs/en-US (PlatyPS markdown) to MAML help (QwenPS.dll-Help.xml) and the about topic
             (about_QwenPS.help.txt), written to en-US/ next to QwenPS.psd1: Get-Help looks for a module's help
             in <ModuleBase>/<culture>/, and ModuleBase is the folder of the manifest, not bin/.
             Needs Microsoft.PowerShell.PlatyPS 1.x on PSModulePath (else it is installed from a reachable
             PowerShell Gallery, unless -NoInstall).
    Package  Build (Release) and Docs, then output/QwenPS/<ModuleVersion>/ with QwenPS.psd1, LICENSE, bin/
             and en-US/, checked with Test-ModuleManifest.
    Test     Build, Docs and Package, then the xunit suite (dotnet test) and the Pester 5 suite (tests/) in a
             fresh pwsh, so this session never loads (and locks) the module DLL. Both always run; the task
             fails if either fails. Prints one 'N passed, N failed, N skipped' line for each. Needs
             PowerShell 7.4 or later. Pester 5 comes from PSModulePath, else from NuGet (restored by
             tools/BuildTools/BuildTools.csproj), else from a reachable PowerShell Gallery.
    All      Build, Docs, Package and Test.

    Build, Docs and Package also run on Windows PowerShell 5.1.

.PARAMETER Task
    The tasks to run: Build, Docs, Package, Test or All. Default: Build. 'Docs,Test' as one string (as
    pwsh -File passes it) is the same as Docs, Test.

.PARAMETER Configuration
    The dotnet build configuration for Build and Test. Package always builds Release.

.PARAMETER NoInstall
    Never try the PowerShell Gallery for a missing Pester or PlatyPS: the task fails at once, saying what
    to install.

.EXAMPLE
    ./build.ps1

    Builds the module into bin/; then `Import-Module ./QwenPS.psd1` in a new session loads it.

.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test

    What CI runs: builds the module, the help and the package, then runs xunit and Pester.

.EXAMPLE
    ./build.ps1 -Task Build, Test -Configuration Debug -Verbose
#>
[CmdletBinding()]
param(
    [ArgumentCompleter({
            param($commandName, $parameterName, $wordToComplete)
            'Build', 'Docs', 'Package', 'Test', 'All' | Where-Object { $_ -like "$wordToComplete*" }
        })]
    [string[]]$Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Release',

    [switch]$NoInstall
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
if ($null -ne (Get-Variable -Name PSStyle -ErrorAction SilentlyContinue) -and [System.Console]::IsOutputRedirected) {
    # A CI log reads better without ANSI colour codes.
    $PSStyle.OutputRendering = 'PlainText'
}

$script:ModuleName = 'QwenPS'
$script:RepoRoot = $PSScriptRoot
$script:ManifestPath = Join-Path $script:RepoRoot 'QwenPS.psd1'
$script:ModuleProject = [System.IO.Path]::Combine($script:RepoRoot, 'src', 'QwenPS', 'QwenPS.csproj')
$script:TestServerProject = [System.IO.Path]::Combine($script:RepoRoot, 'tests', 'QwenPS.TestServer', 'QwenPS.TestServer.csproj')
$script:UnitTestProject = [System.IO.Path]::Combine($script:RepoRoot, 'tests', 'QwenPS.Tests', 'QwenPS.Tests.csproj')
$script:BuildToolsProject = [System.IO.Path]::Combine($script:RepoRoot, 'tools', 'BuildTools', 'BuildTools.csproj')
$script:PesterRunner = [System.IO.Path]::Combine($script:RepoRoot, 'tools', 'Invoke-PesterSuite.ps1')
$script:TestsDir = Join-Path $script:RepoRoot 'tests'
$script:BinDir = Join-Path $script:RepoRoot 'bin'
$script:DocsDir = [System.IO.Path]::Combine($script:RepoRoot, 'docs', 'en-US')
$script:HelpDir = Join-Path $script:RepoRoot 'en-US'
$script:OutputDir = Join-Path $script:RepoRoot 'output'
$script:TestResultsDir = Join-Path $script:OutputDir 'TestResults'
$script:MamlFileName = 'QwenPS.dll-Help.xml'
$script:GalleryTimeoutSec = 120

$script:TaskOrder = @('Build', 'Docs', 'Package', 'Test')
$script:TaskDependencies = @{
    Build   = @()
    Docs    = @()
    Package = @('Build', 'Docs')
    Test    = @('Build', 'Docs', 'Package')
}

# What already ran in this invocation.
$script:BuiltConfigurations = @{}
$script:DocsDone = $false

function Write-Step {
    param([Parameter(Mandatory)][string]$Message)

    Write-Host ''
    Write-Host ('==> ' + $Message) -ForegroundColor Cyan
}

function Resolve-TaskList {
    # -Task as given (an array, or 'Docs,Test' from pwsh -File) to the tasks to run, dependencies included, in order.
    param([string[]]$Requested)

    $names = @($Requested | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    if ($names.Count -eq 0) {
        $names = @('Build')
    }

    $wanted = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $names) {
        if ($name -eq 'All') {
            $script:TaskOrder | ForEach-Object { $null = $wanted.Add($_) }
            continue
        }

        $known = @($script:TaskOrder | Where-Object { $_ -eq $name })
        if ($known.Count -eq 0) {
            throw "Unknown task '$name'. Valid tasks: $($script:TaskOrder -join ', '), All."
        }

        $null = $wanted.Add($known[0])
        foreach ($dependency in $script:TaskDependencies[$known[0]]) {
            $null = $wanted.Add($dependency)
        }
    }

    @($script:TaskOrder | Where-Object { $wanted.Contains($_) })
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

function Find-ToolModule {
    # The newest module on PSModulePath within [MinimumVersion, BelowVersion), or $null.
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

function Install-FromGallery {
    # One bounded attempt at the PowerShell Gallery: returns $true when it installed the module. Runs in a job so
    # an unreachable gallery costs at most $script:GalleryTimeoutSec, never a hang.
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][string]$VersionRange
    )

    if ($NoInstall) {
        return $false
    }

    if ($null -eq (Get-Command -Name 'Install-PSResource' -ErrorAction SilentlyContinue)) {
        Write-Verbose 'Install-PSResource (Microsoft.PowerShell.PSResourceGet) is not available; not trying the gallery.'
        return $false
    }

    Write-Host "Installing $Name $VersionRange for the current user from the PowerShell Gallery (at most $($script:GalleryTimeoutSec) s)."
    $job = Start-Job -ScriptBlock {
        param($Name, $VersionRange)
        Install-PSResource -Name $Name -Version $VersionRange -Scope CurrentUser -TrustRepository -Repository PSGallery -ErrorAction Stop
    } -ArgumentList $Name, $VersionRange
    try {
        if ($null -eq (Wait-Job -Job $job -Timeout $script:GalleryTimeoutSec)) {
            Write-Warning "The PowerShell Gallery did not answer within $($script:GalleryTimeoutSec) s."
            return $false
        }

        Receive-Job -Job $job -ErrorAction SilentlyContinue -ErrorVariable galleryErrors | Out-Null
        foreach ($galleryError in $galleryErrors) {
            Write-Warning "PowerShell Gallery: $galleryError"
        }

        return ($job.State -eq 'Completed' -and $galleryErrors.Count -eq 0)
    }
    finally {
        Remove-Job -Job $job -Force
    }
}

function Get-NuGetPackagesFolder {
    $dotnet = Get-DotnetPath
    $line = @(& $dotnet nuget locals global-packages --list) | Where-Object { $_ -match 'global-packages:\s*(.+)$' } | Select-Object -First 1
    if ($null -eq $line -or $line -notmatch 'global-packages:\s*(.+)$') {
        throw "'dotnet nuget locals global-packages --list' did not name the NuGet packages folder."
    }

    $Matches[1].Trim()
}

function Resolve-Pester {
    # Pester 5: from PSModulePath; else the NuGet package that tools/BuildTools restores (no gallery needed);
    # else the gallery. Returns the path of Pester.psd1.
    $installed = Find-ToolModule -Name 'Pester' -MinimumVersion '5.5.0' -BelowVersion '6.0.0'
    if ($null -ne $installed) {
        Write-Verbose "Pester $($installed.Version) from PSModulePath."
        return $installed.Path
    }

    [xml]$toolsProject = Get-Content -LiteralPath $script:BuildToolsProject -Raw
    $download = @($toolsProject.Project.ItemGroup.PackageDownload | Where-Object { $null -ne $_ -and $_.Include -eq 'Pester' })[0]
    $version = $download.Version.Trim('[', ']')
    try {
        Write-Verbose "Restoring Pester $version from NuGet (tools/BuildTools/BuildTools.csproj)."
        Invoke-Dotnet -ArgumentList @('restore', $script:BuildToolsProject, '--nologo', '-v', 'quiet')
        $manifest = [System.IO.Path]::Combine((Get-NuGetPackagesFolder), 'pester', $version, 'tools', 'Pester.psd1')
        if (Test-Path -LiteralPath $manifest -PathType Leaf) {
            Write-Verbose "Pester $version from NuGet: $manifest"
            return $manifest
        }

        Write-Warning "The NuGet restore succeeded but $manifest is not there."
    }
    catch {
        Write-Warning "Pester from NuGet: $($_.Exception.Message)"
    }

    if (Install-FromGallery -Name 'Pester' -VersionRange '[5.5.0, 6.0.0)') {
        $installed = Find-ToolModule -Name 'Pester' -MinimumVersion '5.5.0' -BelowVersion '6.0.0'
        if ($null -ne $installed) {
            return $installed.Path
        }
    }

    throw 'The Test task needs Pester 5.5 or later (below 6): restore tools/BuildTools/BuildTools.csproj with dotnet (NuGet package Pester), or Install-PSResource Pester -Version "[5.5,6.0)".'
}

function Resolve-PlatyPS {
    # PlatyPS v2 (Microsoft.PowerShell.PlatyPS 1.x): from PSModulePath, else the gallery. Returns its module info.
    $platy = Find-ToolModule -Name 'Microsoft.PowerShell.PlatyPS' -MinimumVersion '1.0.0' -BelowVersion '2.0.0'
    if ($null -eq $platy -and (Install-FromGallery -Name 'Microsoft.PowerShell.PlatyPS' -VersionRange '[1.0.0, 2.0.0)')) {
        $platy = Find-ToolModule -Name 'Microsoft.PowerShell.PlatyPS' -MinimumVersion '1.0.0' -BelowVersion '2.0.0'
    }

    if ($null -eq $platy) {
        throw 'The Docs task needs Microsoft.PowerShell.PlatyPS 1.x: put a folder that contains it on PSModulePath, or Install-PSResource Microsoft.PowerShell.PlatyPS.'
    }

    Write-Verbose "Using Microsoft.PowerShell.PlatyPS $($platy.Version) from $($platy.ModuleBase)."
    $platy
}

function Invoke-BuildTask {
    param([Parameter(Mandatory)][string]$BuildConfiguration)

    if ($script:BuiltConfigurations.ContainsKey($BuildConfiguration)) {
        Write-Verbose "Build ($BuildConfiguration) already ran in this invocation."
        return
    }

    Write-Step "Build ($BuildConfiguration): src/QwenPS, laid out in bin/"
    Invoke-Dotnet -ArgumentList @('build', $script:ModuleProject, '-c', $BuildConfiguration, '--nologo', '-v', 'minimal')
    $dll = Join-Path $script:BinDir 'QwenPS.dll'
    if (-not (Test-Path -LiteralPath $dll -PathType Leaf)) {
        throw "The build did not put $dll in place (see the LayOutModule target in src/QwenPS/QwenPS.csproj)."
    }

    Write-Verbose ('bin/ now holds: ' + ((Get-ChildItem -LiteralPath $script:BinDir -File | ForEach-Object { $_.Name }) -join ', '))

    Write-Step "Build ($BuildConfiguration): tests/QwenPS.TestServer"
    Invoke-Dotnet -ArgumentList @('build', $script:TestServerProject, '-c', $BuildConfiguration, '--nologo', '-v', 'minimal')

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

function Split-ExampleMarkdown {
    # An example's markdown (what PlatyPS keeps as one Remarks text) to the three parts Get-Help prints:
    # the prose before the first code fence, the code (fences removed), and the prose after it.
    param([AllowEmptyString()][string]$Markdown)

    $before = New-Object -TypeName 'System.Collections.Generic.List[string]'
    $code = New-Object -TypeName 'System.Collections.Generic.List[string]'
    $after = New-Object -TypeName 'System.Collections.Generic.List[string]'
    $inFence = $false
    $seenCode = $false
    foreach ($line in ($Markdown -split "\r?\n")) {
        if ($line -match '^\s*(```|~~~)') {
            if ($inFence -and $code.Count -gt 0) {
                # Two code blocks in one example: keep them apart with a blank line.
                $code.Add('')
            }

            $inFence = -not $inFence
            $seenCode = $true
            continue
        }

        if ($inFence) { $code.Add($line) }
        elseif ($seenCode) { $after.Add($line) }
        else { $before.Add($line) }
    }

    [pscustomobject]@{
        Introduction = @(Split-Paragraph -Lines $before)
        Code         = ($code -join "`n").Trim("`n")
        Remarks      = @(Split-Paragraph -Lines $after)
    }
}

function Split-Paragraph {
    # Markdown lines to paragraphs (blank-line separated; the lines of one paragraph joined with a space).
    param([System.Collections.Generic.List[string]]$Lines)

    $paragraph = New-Object -TypeName 'System.Collections.Generic.List[string]'
    foreach ($line in @($Lines) + @('')) {
        if ([string]::IsNullOrWhiteSpace($line)) {
            if ($paragraph.Count -gt 0) {
                $paragraph -join ' '
                $paragraph.Clear()
            }
        }
        else {
            $paragraph.Add($line.Trim())
        }
    }
}

function Repair-MamlHelp {
    # Export-MamlCommandHelp (PlatyPS 1.0.x) writes each example as one paragraph with its ``` fences and writes no
    # default values, so Get-Help showed fences and blank 'Default value' fields. Rewrite both from the markdown.
    param(
        [Parameter(Mandatory)][string]$Path,
        [Parameter(Mandatory)][object[]]$CommandHelp
    )

    $maml = New-Object -TypeName System.Xml.XmlDocument
    $maml.PreserveWhitespace = $false
    $maml.Load($Path)
    $ns = New-Object -TypeName System.Xml.XmlNamespaceManager -ArgumentList $maml.NameTable
    $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
    $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
    $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')

    function New-Para([string]$Text) {
        $para = $maml.CreateElement('maml', 'para', $ns.LookupNamespace('maml'))
        $para.InnerText = $Text
        $para
    }

    foreach ($command in $maml.SelectNodes('//command:command', $ns)) {
        $name = $command.SelectSingleNode('command:details/command:name', $ns).InnerText.Trim()
        $help = @($CommandHelp | Where-Object { $_.Title -eq $name })[0]
        if ($null -eq $help) {
            throw "The MAML names $name, which no markdown page describes."
        }

        $examples = @($command.SelectNodes('command:examples/command:example', $ns))
        if ($examples.Count -ne @($help.Examples).Count) {
            throw "The MAML for $name has $($examples.Count) examples; its markdown has $(@($help.Examples).Count)."
        }

        for ($i = 0; $i -lt $examples.Count; $i++) {
            $parts = Split-ExampleMarkdown -Markdown ([string]$help.Examples[$i].Remarks)
            $example = $examples[$i]
            foreach ($child in @($example.ChildNodes | Where-Object { $_.LocalName -ne 'title' })) {
                $null = $example.RemoveChild($child)
            }

            $introduction = $maml.CreateElement('maml', 'introduction', $ns.LookupNamespace('maml'))
            $parts.Introduction | ForEach-Object { $null = $introduction.AppendChild((New-Para $_)) }
            $code = $maml.CreateElement('dev', 'code', $ns.LookupNamespace('dev'))
            $code.InnerText = $parts.Code
            $remarks = $maml.CreateElement('dev', 'remarks', $ns.LookupNamespace('dev'))
            $parts.Remarks | ForEach-Object { $null = $remarks.AppendChild((New-Para $_)) }
            # An empty last paragraph: Get-Help then leaves a blank line before the next example's title.
            $null = $remarks.AppendChild((New-Para ''))
            $null = $example.AppendChild($introduction)
            $null = $example.AppendChild($code)
            $null = $example.AppendChild($remarks)
        }

        foreach ($parameter in $command.SelectNodes('command:parameters/command:parameter', $ns)) {
            $parameterName = $parameter.SelectSingleNode('maml:name', $ns).InnerText.Trim()
            $documented = @($help.Parameters | Where-Object { $_.Name -eq $parameterName })[0]
            $default = if ($null -ne $documented -and -not [string]::IsNullOrWhiteSpace([string]$documented.DefaultValue)) { [string]$documented.DefaultValue } else { 'None' }
            foreach ($stale in @($parameter.SelectNodes('dev:defaultValue', $ns))) {
                $null = $parameter.RemoveChild($stale)
            }

            $element = $maml.CreateElement('dev', 'defaultValue', $ns.LookupNamespace('dev'))
            $element.InnerText = $default
            $null = $parameter.AppendChild($element)
        }
    }

    $settings = New-Object -TypeName System.Xml.XmlWriterSettings
    $settings.Indent = $true
    $settings.Encoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try { $maml.Save($writer) } finally { $writer.Dispose() }
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

    $platy = Resolve-PlatyPS
    Import-Module -Name $platy.Path -Force

    $null = New-Item -ItemType Directory -Path $script:HelpDir -Force
    $mamlPath = Join-Path $script:HelpDir $script:MamlFileName
    foreach ($stale in @(Get-ChildItem -LiteralPath $script:HelpDir -File)) {
        Remove-Item -LiteralPath $stale.FullName -Force
    }

    $probes = @(Measure-PlatyPSMarkdown -LiteralPath @($commandPages | ForEach-Object { $_.FullName }))
    $notCommandHelp = @($probes | Where-Object { ([string]$_.FileType) -notmatch '\bCommandHelp\b' })
    if ($notCommandHelp.Count -gt 0) {
        throw ('Not command help (check the front matter): ' + (($notCommandHelp | ForEach-Object { $_.FilePath }) -join ', '))
    }

    # Export-MamlCommandHelp names the file after the module (<ModuleName>-Help.xml), in a <ModuleName>
    # subfolder; the cmdlets look for QwenPS.dll-Help.xml (the DLL's name), so stage and rename.
    $staging = Join-Path $script:OutputDir 'maml'
    if (Test-Path -LiteralPath $staging) {
        Remove-Item -LiteralPath $staging -Recurse -Force
    }

    $commandHelp = @(Import-MarkdownCommandHelp -LiteralPath @($commandPages | ForEach-Object { $_.FullName }))
    $null = $commandHelp | Export-MamlCommandHelp -OutputFolder $staging -Force
    $produced = @(Get-ChildItem -LiteralPath $staging -Recurse -File -Filter '*.xml')
    if ($produced.Count -ne 1) {
        throw "Expected one MAML file from Export-MamlCommandHelp under $staging; found $($produced.Count)."
    }

    Copy-Item -LiteralPath $produced[0].FullName -Destination $mamlPath -Force
    Remove-Item -LiteralPath $staging -Recurse -Force
    Repair-MamlHelp -Path $mamlPath -CommandHelp $commandHelp

    foreach ($about in $aboutPages) {
        $target = Join-Path $script:HelpDir ($about.BaseName + '.help.txt')
        Convert-AboutMarkdown -Path $about.FullName -Destination $target
        Write-Verbose "About topic: $target"
    }

    Write-Host ("Help for {0} command(s) and {1} about topic(s) in {2}" -f $commandHelp.Count, $aboutPages.Count, $script:HelpDir)
    $script:DocsDone = $true
}

function Invoke-PackageTask {
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
    if (-not (Test-Path -LiteralPath (Join-Path $script:HelpDir $script:MamlFileName) -PathType Leaf)) {
        throw "There is no $($script:MamlFileName) in $($script:HelpDir) to package: the Docs task did not produce it."
    }

    Copy-Item -LiteralPath $script:HelpDir -Destination (Join-Path $destination 'en-US') -Recurse
    $info = Test-ModuleManifest -Path (Join-Path $destination 'QwenPS.psd1')
    Write-Verbose ('Packaged files: ' + ((Get-ChildItem -LiteralPath $destination -Recurse -File | ForEach-Object { $_.Name }) -join ', '))
    Write-Host ("Packaged {0} {1} in {2}" -f $info.Name, $info.Version, $destination)
}

function Get-TrxCounts {
    # The passed/failed/skipped counts of a TRX file, or $null when it is missing or unreadable.
    param([Parameter(Mandatory)][string]$Path)

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        return $null
    }

    [xml]$trx = Get-Content -LiteralPath $Path -Raw
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int]$counters.passed
        Failed  = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        # The live tests skip without a key: TRX counts them in total but not in executed.
        Skipped = [int]$trx.TestRun.ResultSummary.Counters.total - [int]$counters.executed
    }
}

function Invoke-TestTask {
    param([Parameter(Mandatory)][string]$BuildConfiguration)

    $version = $PSVersionTable.PSVersion
    if ($PSVersionTable.PSEdition -ne 'Core' -or $version.Major -lt 7 -or ($version.Major -eq 7 -and $version.Minor -lt 4)) {
        throw ("The Test task needs PowerShell 7.4 or later; this is {0} {1}. Run it from pwsh: dotnet pwsh -File ./build.ps1 -Task Test" -f $PSVersionTable.PSEdition, $version)
    }

    # Resolved before anything runs, so a missing Pester fails in seconds, not after the xunit suite.
    $pester = Resolve-Pester

    if (Test-Path -LiteralPath $script:TestResultsDir) {
        Remove-Item -LiteralPath $script:TestResultsDir -Recurse -Force
    }

    $null = New-Item -ItemType Directory -Path $script:TestResultsDir -Force
    $failures = New-Object -TypeName 'System.Collections.Generic.List[string]'

    Write-Step "Test ($BuildConfiguration): xunit (tests/QwenPS.Tests)"
    $trxPath = Join-Path $script:TestResultsDir 'QwenPS.Tests.trx'
    try {
        # dotnet test also builds the module (and lays it out in bin/) and the test server in this configuration.
        # The suite runs on Microsoft.Testing.Platform (global.json opts dotnet test in), so the TRX comes from
        # xunit's own reporter and the options after the project go to the test application.
        Invoke-Dotnet -ArgumentList @('test', '--project', $script:UnitTestProject, '-c', $BuildConfiguration,
            '--results-directory', $script:TestResultsDir, '--report-xunit-trx', '--report-xunit-trx-filename', 'QwenPS.Tests.trx')
    }
    catch {
        $failures.Add("xunit: $($_.Exception.Message)")
    }

    $xunit = Get-TrxCounts -Path $trxPath

    Write-Step 'Test: Pester (tests/*.Tests.ps1) in a fresh pwsh'
    $pesterResult = Join-Path $script:TestResultsDir 'pester.xml'
    $pesterCounts = Join-Path $script:TestResultsDir 'pester-counts.json'
    $executable = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    $pwsh = Join-Path $PSHOME $executable
    if (-not (Test-Path -LiteralPath $pwsh -PathType Leaf)) {
        throw "Cannot find $pwsh to run the Pester suite in."
    }

    # -File with plain arguments: the child's output reaches this console as text (an -EncodedCommand child's
    # streams came back as CLIXML). The environment tells the test helpers to reuse the servers dotnet test built.
    $saved = @{
        QWENPS_TEST_CONFIGURATION   = $env:QWENPS_TEST_CONFIGURATION
        QWENPS_TEST_SERVER_NO_BUILD = $env:QWENPS_TEST_SERVER_NO_BUILD
    }
    $env:QWENPS_TEST_CONFIGURATION = $BuildConfiguration
    $env:QWENPS_TEST_SERVER_NO_BUILD = '1'
    try {
        $arguments = @('-NoProfile', '-NonInteractive')
        if ($IsWindows) {
            $arguments += @('-ExecutionPolicy', 'Bypass')
        }

        $arguments += @('-File', $script:PesterRunner, '-PesterPath', $pester, '-TestsPath', $script:TestsDir,
            '-ResultPath', $pesterResult, '-CountsPath', $pesterCounts)
        Write-Verbose "$pwsh $($arguments -join ' ')"
        & $pwsh @arguments
        if ($LASTEXITCODE -ne 0) {
            $failures.Add("Pester: exit code $LASTEXITCODE; results in $pesterResult")
        }
    }
    finally {
        foreach ($name in $saved.Keys) {
            [System.Environment]::SetEnvironmentVariable($name, $saved[$name])
        }
    }

    $pesterSummary = $null
    if (Test-Path -LiteralPath $pesterCounts -PathType Leaf) {
        $pesterSummary = Get-Content -LiteralPath $pesterCounts -Raw | ConvertFrom-Json
    }

    Write-Step 'Test results'
    foreach ($row in @(@('xunit', $xunit), @('Pester', $pesterSummary))) {
        if ($null -eq $row[1]) {
            Write-Host "$($row[0]): no results were written."
            $failures.Add("$($row[0]): no results")
        }
        else {
            Write-Host ('{0}: {1} passed, {2} failed, {3} skipped' -f $row[0], $row[1].Passed, $row[1].Failed, $row[1].Skipped)
        }
    }

    if ($failures.Count -gt 0) {
        throw ('The Test task failed: ' + ($failures -join '; '))
    }
}

Push-Location -LiteralPath $PSScriptRoot
try {
    $requested = Resolve-TaskList -Requested $Task
    Write-Verbose ("Tasks: {0}; configuration {1}; PowerShell {2} {3}" -f ($requested -join ', '), $Configuration, $PSVersionTable.PSEdition, $PSVersionTable.PSVersion)
    foreach ($step in $requested) {
        switch ($step) {
            'Build' { Invoke-BuildTask -BuildConfiguration $Configuration }
            'Docs' { Invoke-DocsTask }
            'Package' { Invoke-PackageTask }
            'Test' { Invoke-TestTask -BuildConfiguration $Configuration }
        }
    }

    Write-Host ''
    Write-Host ('Done: ' + ($requested -join ', ')) -ForegroundColor Green
}
finally {
    Pop-Location
}
