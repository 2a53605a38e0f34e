# Copyright (c) QwenPS contributors. MIT License.
# Invoke-QwenChat -Live: the text goes to the Information stream as it arrives; the pipeline stays clean.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:Server = $script:Session.Server
    $script:BaseUri = $script:Session.BaseUri

    function Get-InformationText {
        param([object[]]$Records)

        foreach ($record in $Records) {
            $data = $record.MessageData
            if ($data -is [System.Management.Automation.HostInformationMessage]) {
                $data.Message
            }
            else {
                [string]$data
            }
        }
    }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Invoke-QwenChat -Live' {
    BeforeEach {
        Reset-QwenTestServer
    }

    Context 'With a thinking model' {
        BeforeAll {
            Reset-QwenTestServer
            # 6>$null keeps the live text off the test console; -InformationVariable still gets every record.
            $script:Output = @(Invoke-QwenChat -Prompt 'Think live' -Model qwq-plus -Live -BaseUri $script:BaseUri -InformationVariable liveRecords 6>$null)
            $script:Information = @($liveRecords)
            $script:Request = @(Get-QwenTestRequest -Method POST -Path '/chat/completions')[-1]
        }

        It 'still writes one QwenChatResponse to the pipeline, and nothing else' {
            $script:Output.Count | Should -Be 1
            $script:Output[0] | Should -BeOfType ([QwenPS.QwenChatResponse])
            $script:Output[0].Content | Should -BeExactly 'Answer to: Think live'
            $script:Output[0].Reasoning | Should -BeExactly 'Thinking about: Think live'
        }

        It 'streams the request' {
            $script:Request.bodyJson.stream | Should -Be $true
        }

        It 'writes information records tagged QwenPS.Live' {
            $script:Information.Count | Should -BeGreaterThan 0
            foreach ($record in $script:Information) {
                $record | Should -BeOfType ([System.Management.Automation.InformationRecord])
                $record.Tags | Should -Contain 'QwenPS.Live'
            }
        }

        It 'tags the reasoning QwenPS.Reasoning, and only the reasoning' {
            $reasoning = @($script:Information | Where-Object { $_.Tags -contains 'QwenPS.Reasoning' })
            $answer = @($script:Information | Where-Object { $_.Tags -notcontains 'QwenPS.Reasoning' })

            $reasoning.Count | Should -BeGreaterThan 0
            (-join @(Get-InformationText -Records $reasoning)) | Should -BeExactly 'Thinking about: Think live'
            (-join @(Get-InformationText -Records $answer)).Trim() | Should -BeExactly 'Answer to: Think live'
        }

        It 'shows the reasoning before the answer' {
            $firstAnswer = -1
            $lastReasoning = -1
            for ($i = 0; $i -lt $script:Information.Count; $i++) {
                $text = -join @(Get-InformationText -Records @($script:Information[$i]))
                if ($script:Information[$i].Tags -contains 'QwenPS.Reasoning') {
                    $lastReasoning = $i
                }
                elseif ($firstAnswer -lt 0 -and $text.Trim().Length -gt 0) {
                    $firstAnswer = $i
                }
            }

            $lastReasoning | Should -BeGreaterThan -1
            $firstAnswer | Should -BeGreaterThan $lastReasoning
        }

        It 'writes no ANSI escape characters' {
            $escape = [char]27
            foreach ($text in @(Get-InformationText -Records $script:Information)) {
                $text.IndexOf($escape) | Should -Be -1
            }
        }
    }

    Context 'With a model that does not think' {
        It 'writes no QwenPS.Reasoning records' {
            $output = @(Invoke-QwenChat -Prompt 'Plain live' -Model qwen-plus -Live -BaseUri $script:BaseUri -InformationVariable plainRecords 6>$null)

            $output.Count | Should -Be 1
            $output[0].Content | Should -BeExactly 'Answer to: Plain live'
            @($plainRecords).Count | Should -BeGreaterThan 0
            @($plainRecords | Where-Object { $_.Tags -contains 'QwenPS.Reasoning' }).Count | Should -Be 0
            (-join @(Get-InformationText -Records @($plainRecords))).Trim() | Should -BeExactly 'Answer to: Plain live'
        }
    }

    Context 'With -Stream' {
        It 'writes the records to the pipeline and the text to the Information stream' {
            $output = @(Invoke-QwenChat -Prompt 'Both' -Model qwen-plus -Live -Stream -BaseUri $script:BaseUri -InformationVariable bothRecords 6>$null)

            @($output | Where-Object { $_ -is [QwenPS.QwenContentChunk] }).Count | Should -BeGreaterThan 0
            @($output | Where-Object { $_ -is [QwenPS.QwenChatResponse] }).Count | Should -Be 0
            (-join @(Get-InformationText -Records @($bothRecords))).Trim() | Should -BeExactly 'Answer to: Both'
        }
    }
}
