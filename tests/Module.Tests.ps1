# Copyright (c) QwenPS contributors. MIT License.
# The built module as a whole: manifest, exports, output types, help. No service calls, so no test server.

BeforeDiscovery {
    $expectedCmdlets = @(
        'Add-QwenFileReference'
        'Connect-Qwen'
        'Disconnect-Qwen'
        'Get-QwenFile'
        'Invoke-QwenChat'
        'New-QwenMessage'
        'Remove-QwenFile'
    )
    $cmdletCases = @($expectedCmdlets | ForEach-Object { @{ Name = $_ } })

    # Get-Help finds a binary module's MAML in <ModuleBase>/<culture>/, ModuleBase being the folder of
    # QwenPS.psd1 (not bin/): build.ps1 -Task Docs writes it there.
    $helpFile = Join-Path $PSScriptRoot '..' 'en-US' 'QwenPS.dll-Help.xml'
    $hasHelp = Test-Path -LiteralPath $helpFile -PathType Leaf
}

BeforeAll {
    $script:ManifestPath = Join-Path $PSScriptRoot '..' 'QwenPS.psd1'
    Import-Module $script:ManifestPath -Force -ErrorAction Stop
    $script:Module = Get-Module -Name QwenPS
    $script:ExpectedCmdlets = @(
        'Add-QwenFileReference'
        'Connect-Qwen'
        'Disconnect-Qwen'
        'Get-QwenFile'
        'Invoke-QwenChat'
        'New-QwenMessage'
        'Remove-QwenFile'
    )
}

Describe 'QwenPS module' {
    Context 'Manifest' {
        It 'passes Test-ModuleManifest' {
            $info = Test-ModuleManifest -Path $script:ManifestPath -ErrorAction Stop
            $data = Import-PowerShellDataFile -LiteralPath $script:ManifestPath

            $info.Name | Should -BeExactly 'QwenPS'
            $info.Version | Should -Be ([version]$data.ModuleVersion)
            $info.Guid | Should -Be ([guid]$data.GUID)
            ($info.ExportedCmdlets.Keys | Sort-Object) -join ',' | Should -BeExactly (($script:ExpectedCmdlets | Sort-Object) -join ',')
        }

        It 'declares both editions and PowerShell 5.1' {
            $data = Import-PowerShellDataFile -LiteralPath $script:ManifestPath

            ($data.CompatiblePSEditions | Sort-Object) -join ',' | Should -BeExactly 'Core,Desktop'
            $data.PowerShellVersion | Should -Be '5.1'
            $data.RootModule | Should -Be 'bin/QwenPS.dll'
        }

        It 'exports no functions, aliases or variables' {
            $script:Module.ExportedFunctions.Count | Should -Be 0
            $script:Module.ExportedAliases.Count | Should -Be 0
            $script:Module.ExportedVariables.Count | Should -Be 0
        }
    }

    Context 'Imported module' {
        It 'is loaded once, from the built DLL' {
            @(Get-Module -Name QwenPS).Count | Should -Be 1
            $script:Module.ModuleType | Should -Be 'Binary'
            $script:Module.ImplementingAssembly.GetName().Name | Should -BeExactly 'QwenPS'
        }

        It 'exports exactly the seven cmdlets' {
            $exported = @(Get-Command -Module QwenPS | ForEach-Object Name | Sort-Object)

            ($exported -join ',') | Should -BeExactly (($script:ExpectedCmdlets | Sort-Object) -join ',')
            @(Get-Command -Module QwenPS | Where-Object CommandType -NE 'Cmdlet').Count | Should -Be 0
        }

        It 'loads its formatting' {
            $script:Module.ExportedFormatFiles.Count | Should -BeGreaterThan 0
        }
    }

    Context 'Output types' {
        It '<Name> declares <Expected>' -TestCases @(
            @{ Name = 'Add-QwenFileReference'; Expected = 'QwenPS.QwenChatResponse,QwenPS.QwenMessage' }
            @{ Name = 'Connect-Qwen'; Expected = 'QwenPS.QwenConnectionInfo' }
            @{ Name = 'Disconnect-Qwen'; Expected = 'System.Void' }
            @{ Name = 'Get-QwenFile'; Expected = 'QwenPS.QwenFileInfo' }
            @{ Name = 'Invoke-QwenChat'; Expected = 'QwenPS.QwenChatResponse,QwenPS.QwenContentChunk,QwenPS.QwenReasoningChunk,QwenPS.QwenUsage' }
            @{ Name = 'New-QwenMessage'; Expected = 'QwenPS.QwenChatResponse,QwenPS.QwenMessage' }
            @{ Name = 'Remove-QwenFile'; Expected = 'System.Void' }
        ) {
            $command = Get-Command -Name $Name -Module QwenPS

            (@($command.OutputType | ForEach-Object Name | Sort-Object -Unique) -join ',') | Should -BeExactly $Expected
        }
    }

    Context 'Side effects' {
        It '<Name> supports -WhatIf and -Confirm' -TestCases @(
            @{ Name = 'Add-QwenFileReference' }
            @{ Name = 'Remove-QwenFile' }
        ) {
            $command = Get-Command -Name $Name -Module QwenPS

            $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
            $command.Parameters.ContainsKey('Confirm') | Should -BeTrue
        }
    }

    Context 'Help' {
        BeforeAll {
            # The help is authored in en-US only; pin the UI culture so the lookup does not depend on the machine.
            $script:SavedUICulture = [System.Globalization.CultureInfo]::CurrentUICulture
            [System.Globalization.CultureInfo]::CurrentUICulture = [System.Globalization.CultureInfo]::GetCultureInfo('en-US')
        }

        AfterAll {
            [System.Globalization.CultureInfo]::CurrentUICulture = $script:SavedUICulture
        }

        It '<Name> has help with a synopsis and an example' -ForEach $cmdletCases -Skip:(-not $hasHelp) {
            $help = Get-Help -Name $Name -Full

            $help.Synopsis | Should -Not -BeNullOrEmpty
            # Without a MAML page Get-Help makes a synopsis out of the syntax, which starts with the name.
            $help.Synopsis | Should -Not -Match ('^\s*' + [regex]::Escape($Name) + '\s')
            $examples = @($help.Examples.Example | Where-Object { $null -ne $_ })
            $examples.Count | Should -BeGreaterThan 0
            $help.Description | Should -Not -BeNullOrEmpty
        }
    }
}
