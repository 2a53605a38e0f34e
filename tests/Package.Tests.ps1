# Copyright (c) QwenPS contributors. MIT License.
# What a user installs: the packaged module (./build.ps1 -Task Package, output/QwenPS/<version>/), imported in a
# fresh pwsh with nothing else loaded, runs a chat against the test server and shows its help and formatting.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:RepoRoot = Get-QwenTestRepositoryRoot
    $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $script:RepoRoot 'QwenPS.psd1')
    $script:Version = [string]$manifest.ModuleVersion
    $script:PackageDir = [System.IO.Path]::Combine($script:RepoRoot, 'output', 'QwenPS', $script:Version)
    $script:PackagedManifest = Join-Path $script:PackageDir 'QwenPS.psd1'
    $script:ExpectedCmdlets = @($manifest.CmdletsToExport | Sort-Object)

    $script:Server = Start-QwenTestServer
    $executable = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    $script:Pwsh = Join-Path $PSHOME $executable

    # Runs a script in a new pwsh (no profile, this session's modules not inherited) and returns its JSON output.
    function Invoke-FreshPwsh {
        param([Parameter(Mandatory)][string]$Script)

        $path = Join-Path $TestDrive ('fresh-{0}.ps1' -f [guid]::NewGuid().ToString('N'))
        Set-Content -LiteralPath $path -Value $Script -Encoding utf8
        $saved = $env:PSModulePath
        try {
            # Only the module folders of PowerShell itself: nothing from the repository can be picked up by name.
            $env:PSModulePath = Join-Path $PSHOME 'Modules'
            $output = & $script:Pwsh -NoProfile -NonInteractive -File $path 2>&1
            $exitCode = $LASTEXITCODE
        }
        finally {
            $env:PSModulePath = $saved
        }

        $text = ($output | ForEach-Object { [string]$_ }) -join "`n"
        if ($exitCode -ne 0) {
            throw "The fresh pwsh failed (exit code $exitCode):`n$text"
        }

        $text | ConvertFrom-Json
    }
}

AfterAll {
    if ($null -ne $script:Server) {
        Stop-QwenTestServer -Server $script:Server
    }
}

Describe 'The packaged module' {
    It 'exists (./build.ps1 -Task Package builds it; Test depends on Package)' {
        Test-Path -LiteralPath $script:PackagedManifest -PathType Leaf | Should -BeTrue -Because "$script:PackagedManifest must exist"
    }

    It 'holds the manifest, the licence, the DLLs, the format file and the help, and no PowerShell reference assemblies' {
        $files = @(Get-ChildItem -LiteralPath $script:PackageDir -Recurse -File |
                ForEach-Object { $_.FullName.Substring($script:PackageDir.Length + 1).Replace('\', '/') })

        $files | Should -Contain 'QwenPS.psd1'
        $files | Should -Contain 'LICENSE'
        $files | Should -Contain 'bin/QwenPS.dll'
        $files | Should -Contain 'bin/System.Text.Json.dll'
        $files | Should -Contain 'bin/QwenPS.Format.ps1xml'
        $files | Should -Contain 'en-US/QwenPS.dll-Help.xml'
        $files | Should -Contain 'en-US/about_QwenPS.help.txt'
        @($files | Where-Object { $_ -like '*System.Management.Automation*' }).Count | Should -Be 0
    }

    Context 'Imported in a fresh pwsh' {
        BeforeAll {
            $env:QWENPS_PACKAGE_MANIFEST = $script:PackagedManifest
            $env:QWENPS_PACKAGE_BASE_URI = $script:Server.BaseUri
            try {
                $script:Fresh = Invoke-FreshPwsh -Script @'
$ErrorActionPreference = 'Stop'
Import-Module -Name $env:QWENPS_PACKAGE_MANIFEST
$module = Get-Module -Name QwenPS
$key = ConvertTo-SecureString -String 'sk-package-fake-0000000000' -AsPlainText -Force
$response = Invoke-QwenChat -Prompt 'Hello from the package' -Model qwen-plus -BaseUri $env:QWENPS_PACKAGE_BASE_URI -ApiKey $key
[System.Globalization.CultureInfo]::CurrentUICulture = [System.Globalization.CultureInfo]::GetCultureInfo('en-US')
$help = Get-Help -Name Invoke-QwenChat -Full
[ordered]@{
    ModuleBase    = $module.ModuleBase
    Version       = $module.Version.ToString()
    Cmdlets       = @(Get-Command -Module QwenPS | ForEach-Object Name | Sort-Object)
    Content       = $response.Content
    ResponseType  = $response.GetType().FullName
    Formatted     = ($response | Out-String)
    FormatViews   = @((Get-FormatData -TypeName QwenPS.QwenChatResponse).FormatViewDefinition | ForEach-Object Name)
    Synopsis      = $help.Synopsis
    Examples      = @($help.Examples.Example).Count
    About         = (Get-Help -Name about_QwenPS | Out-String).Length
} | ConvertTo-Json -Depth 3
'@
            }
            finally {
                Remove-Item -Path Env:QWENPS_PACKAGE_MANIFEST, Env:QWENPS_PACKAGE_BASE_URI -ErrorAction SilentlyContinue
            }
        }

        It 'loads from the package folder, at the manifest version' {
            [System.IO.Path]::GetFullPath($script:Fresh.ModuleBase) | Should -Be ([System.IO.Path]::GetFullPath($script:PackageDir))
            $script:Fresh.Version | Should -Be $script:Version
        }

        It 'exports every cmdlet of the manifest' {
            ($script:Fresh.Cmdlets -join ',') | Should -BeExactly ($script:ExpectedCmdlets -join ',')
        }

        It 'runs a chat against the test server' {
            $script:Fresh.ResponseType | Should -BeExactly 'QwenPS.QwenChatResponse'
            $script:Fresh.Content | Should -BeExactly 'Answer to: Hello from the package'
            $request = @(Get-QwenTestRequest -Server $script:Server -Method POST -Path '/chat/completions')[-1]
            $request.bodyJson.model | Should -BeExactly 'qwen-plus'
            $request.headers.Authorization | Should -BeExactly 'Bearer sk-package-fake-0000000000'
        }

        It 'formats the response with the packaged format file' {
            $script:Fresh.FormatViews | Should -Contain 'QwenPS.QwenChatResponse'
            $script:Fresh.Formatted | Should -Match 'Content\s*:\s*Answer to: Hello from the package'
        }

        It 'shows the packaged help and the about topic' {
            $script:Fresh.Synopsis | Should -Not -BeNullOrEmpty
            $script:Fresh.Synopsis | Should -Not -Match '^\s*Invoke-QwenChat\s'
            $script:Fresh.Examples | Should -BeGreaterOrEqual 2
            $script:Fresh.About | Should -BeGreaterThan 2000
        }
    }
}
