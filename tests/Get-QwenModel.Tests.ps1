# Copyright (c) QwenPS contributors. MIT License.
# Get-QwenModel, the -Model completers, and the cost and usage sums (Get-QwenUsage / Clear-QwenUsage), against the local test server.

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

Describe 'Get-QwenModel' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'lists the math models with their limits and prices, and sends nothing' {
        $math = @(Get-QwenModel -Capability Math)

        $math.Name | Should -Be @('qwen-math-plus', 'qwen-math-turbo', 'qwen2.5-math-72b-instruct', 'qwen2.5-math-7b-instruct')
        $math | ForEach-Object { $_ | Should -BeOfType ([QwenPS.QwenModelInfo]) }
        $math[0].Regions | Should -Be @([QwenPS.QwenRegion]::Beijing)
        $math[0].Prices | Should -BeExactly 'Beijing CNY: 4/12'
        $math[0].PricesAsOf | Should -BeExactly '2026-04'
        @(Get-QwenTestRequest).Count | Should -Be 0
    }

    It 'combines name wildcards, regions and thinking modes' {
        $mt = @(Get-QwenModel -Name 'QWEN-MT-*' -Region Singapore)
        $mt.Name | Should -Contain 'qwen-mt-lite'
        ($mt | Where-Object CumulativeStream).Name | Should -Be @('qwen-mt-plus', 'qwen-mt-turbo')

        $always = @(Get-QwenModel -Thinking Always)
        $always.Name | Should -Contain 'qwq-plus'
        $always | ForEach-Object { $_.Thinking | Should -Be ([QwenPS.QwenThinkingMode]::Always) }
    }

    It 'shows a table and exports the prices as text' {
        $table = Get-QwenModel -Name qwen3-max | Out-String -Width 200
        $table | Should -Match 'Name\s+Family\s+Regions\s+Context\s+Thinking\s+Capabilities'
        $table | Should -Match 'qwen3-max\s+Qwen3-Max\s+Beijing,Singapore'

        $csv = Get-QwenModel -Name qwen3-max | Select-Object Name, Prices, Thinking | ConvertTo-Csv -NoTypeInformation
        $csv[1] | Should -BeExactly '"qwen3-max","Beijing CNY: 0-32K 2.5/10, 32K-128K 4/16, 128K-252K 7/28; Singapore USD: 0-32K 1.2/6, 32K-128K 2.4/12, 128K-252K 3/15","OffByDefault"'
    }

    It 'exports its lists (regions, capabilities) as text to CSV and as arrays to JSON' {
        $model = Get-QwenModel -Name qwen-long
        $csv = $model | Select-Object Name, Regions, Capabilities | ConvertTo-Csv -NoTypeInformation
        $json = $model | ConvertTo-Json -Depth 3 | ConvertFrom-Json

        $csv[1] | Should -BeExactly '"qwen-long","Beijing","Chat, Documents, Json, Batch"'
        @($json.Capabilities) | Should -Be @('Chat', 'Documents', 'Json', 'Batch')
        $model.Capabilities -contains 'Documents' | Should -BeTrue
    }

    It 'gives a dated snapshot the record of its model' {
        (Get-QwenModel -Name qwen-plus-2025-07-14).Name | Should -BeExactly 'qwen-plus'
    }

    It 'reports a plain name the catalog does not list, and goes on with the others' {
        $found = Get-QwenModel -Name 'my-fine-tune', 'qwen-long' -ErrorVariable errors -ErrorAction SilentlyContinue

        $found.Name | Should -BeExactly 'qwen-long'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotInCatalog,*'
        $errors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        $errors[0].TargetObject | Should -BeExactly 'my-fine-tune'
    }

    It 'refuses a capability no model has, naming the known ones' {
        $err = { Get-QwenModel -Capability Telepathy } | Should -Throw -ErrorId 'InvalidArgument,*' -PassThru
        $err.Exception.Message | Should -Match 'FillInTheMiddle'
    }

    It 'is the source of the -Model tab completion of every cmdlet' {
        $line = 'Invoke-QwenChat -Model qwen-mt-l'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('qwen-mt-lite')

        $line = 'Get-QwenModel -Capability Fill'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('FillInTheMiddle')

        $line = 'Get-QwenUsage -Model qwq-'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'qwq-32b'
    }

    It 'still sends a name the catalog does not know' {
        $null = Invoke-QwenChat -Prompt 'x' -Model 'my-fine-tune' -BaseUri $script:BaseUri
        (Get-QwenTestLastChatRequest).bodyJson.model | Should -BeExactly 'my-fine-tune'
    }
}

Describe 'Get-QwenUsage and Clear-QwenUsage' {
    BeforeEach {
        Reset-QwenTestServer
        Clear-QwenUsage
    }

    It 'sums the calls of this runspace by model, from the usage the server reported' {
        $first = Invoke-QwenChat -Prompt 'hello' -Model qwen-plus -BaseUri $script:BaseUri
        $null = Invoke-QwenChat -Prompt 'hello' -Model qwen-plus -BaseUri $script:BaseUri
        $null = Invoke-QwenChat -Prompt 'hi' -Model qwen-flash -BaseUri $script:BaseUri -Stream

        # The test server counts characters: prompt 'hello' = 5, answer 'Answer to: hello' = 16.
        $first.Usage.PromptTokens | Should -Be 5
        $sums = @(Get-QwenUsage)
        $sums.Model | Should -Be @('qwen-flash', 'qwen-plus')
        $plus = $sums | Where-Object Model -EQ 'qwen-plus'
        $plus | Should -BeOfType ([QwenPS.QwenUsageSummary])
        $plus.Calls | Should -Be 2
        $plus.PromptTokens | Should -Be 10
        $plus.CompletionTokens | Should -Be 32
        $plus.TotalTokens | Should -Be 42
        (Get-QwenUsage -Model 'QWEN-F*').Calls | Should -Be 1
    }

    It 'has no cost for a custom endpoint that is no region''s, and says so by leaving Cost empty' {
        $response = Invoke-QwenChat -Prompt 'hello' -Model qwen-plus -BaseUri $script:BaseUri

        $response.Usage | Should -Not -BeNullOrEmpty
        $response.Cost | Should -BeNullOrEmpty
        $response.Usage.Cost | Should -BeNullOrEmpty
        $sum = Get-QwenUsage
        $sum.Cost | Should -BeNullOrEmpty
        $sum.Currency | Should -BeNullOrEmpty
        ($sum | Out-String) | Should -Match 'qwen-plus\s+1\s+5\s+16\s+21'
    }

    It 'clears all sums, or those of the models named' {
        $null = Invoke-QwenChat -Prompt 'a' -Model qwen-plus -BaseUri $script:BaseUri
        $null = Invoke-QwenChat -Prompt 'b' -Model qwen-flash -BaseUri $script:BaseUri

        Clear-QwenUsage -Model 'qwen-f*' -Verbose 4>&1 | ForEach-Object Message | Should -BeExactly 'Cleared 1 usage record(s) of this runspace.'
        (Get-QwenUsage).Model | Should -BeExactly 'qwen-plus'
        Clear-QwenUsage
        @(Get-QwenUsage).Count | Should -Be 0
    }

    It 'counts JSON-output calls too' {
        $null = Invoke-QwenChat -Prompt 'List three colours as json' -Model qwen-plus -AsJson -BaseUri $script:BaseUri

        (Get-QwenUsage -Model qwen-plus).Calls | Should -Be 1
    }

    It 'keeps each runspace''s sums apart' {
        $null = Invoke-QwenChat -Prompt 'a' -Model qwen-plus -BaseUri $script:BaseUri
        $manifest = Join-Path $PSScriptRoot '..' 'QwenPS.psd1'

        $ps = [powershell]::Create()
        try {
            $other = $ps.AddScript("Import-Module '$manifest'; @(Get-QwenUsage).Count").Invoke()
        }
        finally {
            $ps.Dispose()
        }

        $other | Should -Be 0
        (Get-QwenUsage).Calls | Should -Be 1
    }
}
