# Copyright (c) QwenPS contributors. MIT License.
# Invoke-QwenTranslation against the local test server: the bodies it received, the order, the increments, the refusals.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop
    $script:Session = Start-QwenTestSession
    $script:BaseUri = $script:Session.BaseUri
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Invoke-QwenTranslation' {
    BeforeEach {
        Reset-QwenTestServer
        Clear-QwenUsage
    }

    It 'sends each piped line as one user message with the translation options, and keeps the input order' {
        $lines = '工单已关闭', '', '请重新提交工单', '谢谢'

        $results = @($lines | Invoke-QwenTranslation -To English -From Chinese -Term @{ '工单' = 'ticket' } -BaseUri $script:BaseUri)

        $results.Count | Should -Be 4
        $results | ForEach-Object { $_ | Should -BeOfType ([QwenPS.QwenTranslation]) }
        $results.SourceText | Should -Be $lines
        $results[0].Text | Should -BeExactly '[Chinese>English] ticket已关闭'
        $results[1].Text | Should -BeExactly ''
        $results[2].Text | Should -BeExactly '[Chinese>English] 请重新提交ticket'
        $results[0].From | Should -BeExactly 'Chinese'
        $results[0].To | Should -BeExactly 'English'
        $results[0].Model | Should -BeExactly 'qwen-mt-flash'
        $results[0].RequestId | Should -Not -BeNullOrEmpty

        $requests = @(Get-QwenTestRequest -Path '/chat/completions')
        $requests.Count | Should -Be 3
        $body = ($requests | Where-Object { $_.bodyJson.messages[0].content -eq '谢谢' }).bodyText
        $body | Should -BeExactly '{"model":"qwen-mt-flash","messages":[{"role":"user","content":"谢谢"}],"translation_options":{"source_lang":"Chinese","target_lang":"English","terms":[{"source":"工单","target":"ticket"}]}}'
        (Get-QwenUsage).Calls | Should -Be 3
    }

    It 'takes codes, memory objects and a domain, and shows a table' {
        $memory = [pscustomobject]@{ Source = 'entra en vigor'; Target = 'takes effect' }

        $result = Invoke-QwenTranslation -Text 'El contrato entra en vigor.' -From ES -To en -TranslationMemory $memory -Domain 'Legal text.' -Model qwen-mt-plus -BaseUri $script:BaseUri

        $result.Text | Should -BeExactly '[Spanish>English] El contrato entra en vigor. {tm:1} {domain:Legal text.}'
        $options = (Get-QwenTestLastChatRequest).bodyJson.translation_options
        $options.tm_list[0].source | Should -BeExactly 'entra en vigor'
        $options.tm_list[0].target | Should -BeExactly 'takes effect'
        $options.domains | Should -BeExactly 'Legal text.'
        ($result | Out-String -Width 250) | Should -Match 'SourceText\s+Text\s+From\s+To'
    }

    It 'streams increments for a cumulative model and an incremental one alike' -ForEach @(
        @{ Model = 'qwen-mt-plus' }, @{ Model = 'qwen-mt-flash' }
    ) {
        $output = @('The quick brown fox.' | Invoke-QwenTranslation -To Chinese -Model $Model -Stream -BaseUri $script:BaseUri)

        $chunks = @($output | Where-Object { $_ -is [QwenPS.QwenContentChunk] })
        $chunks.Count | Should -BeGreaterThan 2
        -join $chunks.Text | Should -BeExactly '[auto>Chinese] The quick brown fox.'
        $output[-1] | Should -BeOfType ([QwenPS.QwenTranslation])
        $output[-1].Text | Should -BeExactly '[auto>Chinese] The quick brown fox.'
        (Get-QwenTestLastChatRequest).bodyJson.stream | Should -Be $true
    }

    It 'refuses <Case> before any request' -ForEach @(
        @{ Case = 'an unknown language'; Id = 'UnsupportedLanguage'; Run = { 'x' | Invoke-QwenTranslation -To Klingon -BaseUri $script:BaseUri } }
        @{ Case = 'a language qwen-mt-lite lacks'; Id = 'UnsupportedLanguage'; Run = { 'x' | Invoke-QwenTranslation -To Welsh -Model qwen-mt-lite -BaseUri $script:BaseUri } }
        @{ Case = 'a missing -To'; Id = 'InvalidArgument'; Run = { 'x' | Invoke-QwenTranslation -BaseUri $script:BaseUri } }
        @{ Case = 'a system message'; Id = 'InvalidArgument'; Run = { New-QwenMessage -Role system -Content 'formal' | New-QwenMessage -Role user -Content 'hola' | Invoke-QwenTranslation -To en -BaseUri $script:BaseUri } }
        @{ Case = 'history'; Id = 'InvalidArgument'; Run = { New-QwenMessage -Role user -Content 'hola' | New-QwenMessage -Role assistant -Content 'hello' | Invoke-QwenTranslation -To en -BaseUri $script:BaseUri } }
        @{ Case = 'a chat model'; Id = 'InvalidArgument'; Run = { 'x' | Invoke-QwenTranslation -To en -Model qwen-plus -BaseUri $script:BaseUri } }
        @{ Case = 'a term that is not a pair'; Id = 'InvalidArgument'; Run = { 'x' | Invoke-QwenTranslation -To en -Term 'ticket' -BaseUri $script:BaseUri } }
    ) {
        $err = $Run | Should -Throw -ErrorId "$Id,*" -PassThru

        $err.CategoryInfo.Category | Should -BeIn @([System.Management.Automation.ErrorCategory]::InvalidArgument, [System.Management.Automation.ErrorCategory]::InvalidType)
        @(Get-QwenTestRequest).Count | Should -Be 0
    }

    It 'writes the translations before a refused text, then stops with the text as the target' {
        Add-QwenTestBehavior @{ kind = 'default' }
        Add-QwenTestBehavior @{ kind = 'error'; status = 400; code = 'data_inspection_failed'; message = 'Input data may contain inappropriate content.'; path = '/chat/completions' }

        $results = [System.Collections.Generic.List[object]]::new()
        $err = { 'uno', 'dos', 'tres' | Invoke-QwenTranslation -To en -ThrottleLimit 1 -BaseUri $script:BaseUri | ForEach-Object { $results.Add($_) } } |
            Should -Throw -ErrorId 'DataInspectionFailed,*' -PassThru

        $results.SourceText | Should -Be @('uno')
        $err.TargetObject | Should -BeExactly 'dos'
        $err.Exception.RequestId | Should -Not -BeNullOrEmpty
    }

    It 'completes languages for the model being typed' {
        $line = "Invoke-QwenTranslation -Model qwen-mt-lite -To Trad"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'Traditional Chinese'")
        $line = "Invoke-QwenTranslation -Model qwen-mt-lite -To Wel"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.Count | Should -Be 0
        $line = "Invoke-QwenTranslation -To x -From au"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('auto')
    }
}
