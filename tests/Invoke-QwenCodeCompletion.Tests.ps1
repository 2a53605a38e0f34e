# Copyright (c) QwenPS contributors. MIT License.
# Invoke-QwenCodeCompletion against the local test server: the /completions body it received, the result, the refusals.

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

Describe 'Invoke-QwenCodeCompletion' {
    BeforeEach {
        Reset-QwenTestServer
        Clear-QwenUsage
    }

    It 'sends the fill-in-the-middle prompt to /completions and returns the middle' {
        $result = Invoke-QwenCodeCompletion -Prefix "def area(r):`n" -Suffix '    return result' -MaxTokens 64 -Seed 3 -BaseUri $script:BaseUri

        $request = @(Get-QwenTestRequest -Path '/completions')
        $request.Count | Should -Be 1
        $request[0].bodyText | Should -BeExactly '{"model":"qwen2.5-coder-32b-instruct","prompt":"<|fim_prefix|>def area(r):\n<|fim_suffix|>    return result<|fim_middle|>","max_tokens":64,"seed":3}'
        $result | Should -BeOfType ([QwenPS.QwenCodeCompletion])
        $result.Text | Should -BeExactly 'MIDDLE(13,17)'
        $result.Prefix | Should -BeExactly "def area(r):`n"
        $result.Suffix | Should -BeExactly '    return result'
        $result.FinishReason | Should -BeExactly 'stop'
        $result.Usage.TotalTokens | Should -BeGreaterThan 0
        $result.RequestId | Should -Not -BeNullOrEmpty
        (Get-QwenUsage).Model | Should -BeExactly 'qwen2.5-coder-32b-instruct'
    }

    It 'splits a file at a line and column' {
        $path = Join-Path $TestDrive 'f.py'
        Set-Content -Path $path -Value "def f(x):`n    return x" -NoNewline

        $result = Invoke-QwenCodeCompletion -Path $path -Line 2 -Column 5 -BaseUri $script:BaseUri

        $result.Prefix | Should -BeExactly "def f(x):`n    "
        $result.Suffix | Should -BeExactly 'return x'
        (Get-QwenTestRequest -Path '/completions').bodyJson.prompt | Should -BeExactly "<|fim_prefix|>def f(x):`n    <|fim_suffix|>return x<|fim_middle|>"
    }

    It 'streams the pieces of a continuation, then the result' {
        $output = @(Invoke-QwenCodeCompletion -Prefix 'import os' -Model qwen-coder-turbo -Stream -BaseUri $script:BaseUri)

        $chunks = @($output | Where-Object { $_ -is [QwenPS.QwenContentChunk] })
        $chunks.Count | Should -BeGreaterThan 1
        -join $chunks.Text | Should -BeExactly 'CONTINUE(9)'
        $output[-1].Text | Should -BeExactly 'CONTINUE(9)'
        (Get-QwenTestRequest -Path '/completions').bodyJson.prompt | Should -BeExactly '<|fim_prefix|>import os<|fim_suffix|>'
    }

    It 'refuses <Case> before any request' -ForEach @(
        @{ Case = 'another region'; Id = 'RegionNotSupported'; Message = 'Beijing'; Run = { Invoke-QwenCodeCompletion -Prefix 'x' -Region Singapore } }
        @{ Case = 'a Qwen3-Coder model'; Id = 'InvalidArgument'; Message = 'Invoke-QwenChat'; Run = { Invoke-QwenCodeCompletion -Prefix 'x' -Model qwen3-coder-plus -BaseUri $script:BaseUri } }
        @{ Case = 'a column past the line'; Id = 'InvalidArgument'; Message = 'Column'; Run = {
                $path = Join-Path $TestDrive 'g.py'; Set-Content -Path $path -Value 'ab'
                Invoke-QwenCodeCompletion -Path $path -Line 1 -Column 9 -BaseUri $script:BaseUri } }
        @{ Case = 'a missing file'; Id = 'FileNotFound'; Message = 'does not exist'; Run = { Invoke-QwenCodeCompletion -Path (Join-Path $TestDrive 'none.py') -Line 1 -BaseUri $script:BaseUri } }
    ) {
        $err = $Run | Should -Throw -ErrorId "$Id,*" -PassThru

        $err.Exception.Message | Should -Match $Message
        @(Get-QwenTestRequest).Count | Should -Be 0
    }
}
