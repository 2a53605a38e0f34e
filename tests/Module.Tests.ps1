# Copyright (c) QwenPS contributors. MIT License.
# The built module as a whole: manifest, exports, output types, help. No service calls, so no test server.

BeforeDiscovery {
    # The cmdlets are the ones the manifest exports; the tests below check that the DLL declares exactly those.
    $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot '..' 'QwenPS.psd1')
    $cmdletCases = @($manifest.CmdletsToExport | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    $script:ManifestPath = Join-Path $PSScriptRoot '..' 'QwenPS.psd1'
    Import-Module $script:ManifestPath -Force -ErrorAction Stop
    $script:Module = Get-Module -Name QwenPS
    $script:ExpectedCmdlets = @((Import-PowerShellDataFile -LiteralPath $script:ManifestPath).CmdletsToExport | Sort-Object)
    # Get-Help finds a binary module's MAML in <ModuleBase>/<culture>/, ModuleBase being the folder of
    # QwenPS.psd1 (not bin/): build.ps1 -Task Docs writes it there.
    $script:HelpFile = Join-Path $PSScriptRoot '..' 'en-US' 'QwenPS.dll-Help.xml'
    $script:CommonParameters = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
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

        It 'declares exactly the cmdlets the manifest exports' {
            $declared = @($script:Module.ImplementingAssembly.GetExportedTypes() |
                    ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
                    ForEach-Object { '{0}-{1}' -f $_.VerbName, $_.NounName } | Sort-Object)

            ($declared -join ',') | Should -BeExactly ($script:ExpectedCmdlets -join ',')
        }

        It 'exports exactly the cmdlets of the manifest' {
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
            @{ Name = 'Invoke-QwenChat'; Expected = 'QwenPS.QwenAudioChunk,QwenPS.QwenChatResponse,QwenPS.QwenContentChunk,QwenPS.QwenReasoningChunk,QwenPS.QwenToolCallChunk,QwenPS.QwenToolResult,QwenPS.QwenUsage,System.Management.Automation.PSObject' }
            @{ Name = 'New-QwenTool'; Expected = 'QwenPS.QwenTool' }
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

        It 'is built (./build.ps1 -Task Docs writes en-US/QwenPS.dll-Help.xml)' {
            Test-Path -LiteralPath $script:HelpFile -PathType Leaf | Should -BeTrue -Because 'a missing help file is a failure: run ./build.ps1 -Task Docs'
        }

        It '<Name> has a synopsis, a description and at least two examples' -ForEach $cmdletCases {
            $help = Get-Help -Name $Name -Full

            $help.Synopsis | Should -Not -BeNullOrEmpty
            # Without a MAML page Get-Help makes a synopsis out of the syntax, which starts with the name.
            $help.Synopsis | Should -Not -Match ('^\s*' + [regex]::Escape($Name) + '\s')
            ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
            $examples = @($help.Examples.Example | Where-Object { $null -ne $_ })
            $examples.Count | Should -BeGreaterOrEqual 2
        }

        It '<Name> describes every parameter' -ForEach $cmdletCases {
            $command = Get-Command -Name $Name -Module QwenPS
            $help = Get-Help -Name $Name -Full
            $documented = @{}
            foreach ($parameter in @($help.Parameters.Parameter | Where-Object { $null -ne $_ })) {
                $documented[$parameter.Name] = ($parameter.Description | Out-String).Trim()
            }

            $undescribed = @($command.Parameters.Keys | Where-Object { $_ -notin $script:CommonParameters } |
                    Where-Object { -not $documented.ContainsKey($_) -or [string]::IsNullOrWhiteSpace($documented[$_]) } | Sort-Object)
            $undescribed -join ', ' | Should -BeNullOrEmpty -Because "Get-Help $Name shows no description for these"
        }

        It '<Name> shows its examples as code, without markdown fences' -ForEach $cmdletCases {
            $help = Get-Help -Name $Name -Full

            foreach ($example in @($help.Examples.Example)) {
                $example.Code | Should -Not -BeNullOrEmpty -Because "$($example.Title) needs its code in the code field"
                ($example | Out-String) | Should -Not -Match '```'
            }
        }

        It '<Name> shows a default value for every parameter' -ForEach $cmdletCases {
            $blank = @(Get-Help -Name $Name -Full).Parameters.Parameter | Where-Object { [string]::IsNullOrWhiteSpace([string]$_.DefaultValue) }

            @($blank | ForEach-Object Name) -join ', ' | Should -BeNullOrEmpty
        }

        It 'has the about_QwenPS topic' {
            $about = Get-Help -Name about_QwenPS

            ($about | Out-String) | Should -Match 'about_QwenPS'
            ($about | Out-String).Length | Should -BeGreaterThan 2000
        }

        It 'lists every cmdlet on the module page (docs/en-US/QwenPS.md)' {
            $page = Get-Content -LiteralPath (Join-Path $PSScriptRoot '..' 'docs' 'en-US' 'QwenPS.md') -Raw
            $listed = @([regex]::Matches($page, '(?m)^###\s+\[([\w-]+)\]') | ForEach-Object { $_.Groups[1].Value } | Sort-Object)

            ($listed -join ',') | Should -BeExactly ($script:ExpectedCmdlets -join ',')
        }
    }
}
