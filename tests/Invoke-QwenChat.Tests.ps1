# Copyright (c) QwenPS contributors. MIT License.
# Invoke-QwenChat against the local DashScope-compatible test server (tests/QwenPS.TestServer).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:FakeKey = 'sk-pester-fake-0000000000'
    $script:Session = Start-QwenTestSession -ApiKey $script:FakeKey
    $script:Server = $script:Session.Server
    $script:BaseUri = $script:Session.BaseUri

    # One letter per record, so the order of a stream can be checked with a regex: R reasoning, C content, U usage.
    function Get-RecordShape {
        param([object[]]$Records)

        -join @($Records | ForEach-Object {
                if ($_ -is [QwenPS.QwenReasoningChunk]) { 'R' }
                elseif ($_ -is [QwenPS.QwenContentChunk]) { 'C' }
                elseif ($_ -is [QwenPS.QwenUsage]) { 'U' }
                else { '?' }
            })
    }

}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Invoke-QwenChat' {
    BeforeEach {
        Reset-QwenTestServer
    }

    Context 'Streamed multi-turn conversation with a thinking model (scenario 1)' {
        BeforeAll {
            Reset-QwenTestServer
            $script:Records = @(
                New-QwenMessage -Role User -Content '你好' |
                    New-QwenMessage -Role Assistant -Content '你好！我是通义千问。' |
                    New-QwenMessage -Role User -Content '你是谁?' |
                    Invoke-QwenChat -Model qwq-32b -Stream -BaseUri $script:BaseUri
            )
            $script:Request = Get-QwenTestLastChatRequest
        }

        It 'writes reasoning chunks, then content chunks, then one usage record' {
            $script:Records.Count | Should -BeGreaterThan 2
            Get-RecordShape -Records $script:Records | Should -Match '^R+C+U$'
        }

        It 'streams the answer and the reasoning as separate texts' {
            $content = -join @($script:Records | Where-Object { $_ -is [QwenPS.QwenContentChunk] } | ForEach-Object { $_.Text })
            $reasoning = -join @($script:Records | Where-Object { $_ -is [QwenPS.QwenReasoningChunk] } | ForEach-Object { $_.Text })

            $content | Should -BeExactly 'Answer to: 你是谁?'
            $reasoning | Should -BeExactly 'Thinking about: 你是谁?'
        }

        It 'reports the usage, reasoning tokens included' {
            $usage = $script:Records[-1]

            $usage | Should -BeOfType ([QwenPS.QwenUsage])
            $usage.ReasoningTokens | Should -Be ('Thinking about: 你是谁?'.Length)
            $usage.TotalTokens | Should -Be ($usage.PromptTokens + $usage.CompletionTokens)
        }

        It 'asks for a stream with usage' {
            $body = $script:Request.bodyJson

            $body.model | Should -BeExactly 'qwq-32b'
            $body.stream | Should -Be $true
            $body.stream_options.include_usage | Should -Be $true
        }

        It 'sends the three messages in order, exactly' {
            $messages = @($script:Request.bodyJson.messages)

            $messages.Count | Should -Be 3
            (($messages | ForEach-Object { $_.role }) -join ',') | Should -BeExactly 'user,assistant,user'
            $messages[0].content | Should -BeExactly '你好'
            $messages[1].content | Should -BeExactly '你好！我是通义千问。'
            $messages[2].content | Should -BeExactly '你是谁?'
        }

        It 'sends no reasoning_content' {
            $script:Request.bodyText | Should -Not -Match 'reasoning_content'
        }
    }

    Context 'One response' {
        It 'returns exactly one QwenChatResponse' {
            $output = @(Invoke-QwenChat -Prompt 'Hello' -Model qwen-plus -BaseUri $script:BaseUri)

            $output.Count | Should -Be 1
            $response = $output[0]
            $response | Should -BeOfType ([QwenPS.QwenChatResponse])
            $response.Content | Should -BeExactly 'Answer to: Hello'
            $response.Reasoning | Should -BeNullOrEmpty
            $response.Model | Should -BeExactly 'qwen-plus'
            $response.FinishReason | Should -BeExactly 'stop'
            $response.Incomplete | Should -BeFalse
        }

        It 'fills in usage and the request id' {
            $response = Invoke-QwenChat -Prompt 'Hello' -Model qwen-plus -BaseUri $script:BaseUri
            $request = Get-QwenTestLastChatRequest

            $response.Usage | Should -BeOfType ([QwenPS.QwenUsage])
            $response.Usage.PromptTokens | Should -Be ('Hello'.Length)
            $response.Usage.CompletionTokens | Should -Be ('Answer to: Hello'.Length)
            $response.RequestId | Should -Not -BeNullOrEmpty
            $response.RequestId | Should -BeExactly $request.requestId
        }

        It 'keeps the messages sent plus the answer in History' {
            $response = New-QwenMessage -Role System -Content 'Be brief.' |
                New-QwenMessage -Role User -Content 'Hi' |
                Invoke-QwenChat -Prompt 'And now?' -Model qwen-plus -BaseUri $script:BaseUri

            $response.History.Count | Should -Be 4
            (($response.History | ForEach-Object { $_.Role.ToString() }) -join ',') | Should -BeExactly 'System,User,User,Assistant'
            $response.History[3].Content | Should -BeExactly $response.Content
        }

        It 'does not stream a model that answers without a stream' {
            $null = Invoke-QwenChat -Prompt 'Hello' -Model qwen-plus -BaseUri $script:BaseUri
            $body = (Get-QwenTestLastChatRequest).bodyJson

            $body.PSObject.Properties.Name | Should -Not -Contain 'stream'
        }

        It 'streams a stream-only model by itself and still returns one response' {
            $output = @(Invoke-QwenChat -Prompt 'Plan a backup rotation' -Model qwq-plus -BaseUri $script:BaseUri)
            $body = (Get-QwenTestLastChatRequest).bodyJson

            $output.Count | Should -Be 1
            $output[0] | Should -BeOfType ([QwenPS.QwenChatResponse])
            $output[0].Content | Should -BeExactly 'Answer to: Plan a backup rotation'
            $output[0].Reasoning | Should -BeExactly 'Thinking about: Plan a backup rotation'
            $body.stream | Should -Be $true
        }
    }

    Context 'Continuing a conversation' {
        It 'sends the previous answer, not its reasoning, when a response is piped back' {
            $r = Invoke-QwenChat -Model qwq-plus -Prompt 'Plan a backup rotation' -BaseUri $script:BaseUri
            Reset-QwenTestServer

            $next = $r | Invoke-QwenChat -Prompt 'Now as a PowerShell script' -BaseUri $script:BaseUri

            $request = Get-QwenTestLastChatRequest
            $messages = @($request.bodyJson.messages)
            $messages.Count | Should -Be 3
            (($messages | ForEach-Object { $_.role }) -join ',') | Should -BeExactly 'user,assistant,user'
            $messages[0].content | Should -BeExactly 'Plan a backup rotation'
            $messages[1].content | Should -BeExactly $r.Content
            $messages[2].content | Should -BeExactly 'Now as a PowerShell script'
            $request.bodyText | Should -Not -Match 'reasoning_content'
            $request.bodyText | Should -Not -Match 'Thinking about'
            $request.bodyJson.model | Should -BeExactly 'qwq-plus'
            $next.Content | Should -BeExactly 'Answer to: Now as a PowerShell script'
        }
    }

    Context 'Parameters' {
        It 'sets -ResponseVariable to the aggregated response after -Stream' {
            $records = @(Invoke-QwenChat -Prompt 'Stream this' -Model qwen-plus -Stream -ResponseVariable streamed -BaseUri $script:BaseUri)

            Get-RecordShape -Records $records | Should -Match '^C+U$'
            $streamed | Should -BeOfType ([QwenPS.QwenChatResponse])
            $streamed.Content | Should -BeExactly 'Answer to: Stream this'
            $streamed.Content | Should -BeExactly (-join @($records | Where-Object { $_ -is [QwenPS.QwenContentChunk] } | ForEach-Object { $_.Text }))
            $streamed.Usage | Should -Not -BeNullOrEmpty
        }

        It 'puts -AdditionalParameter fields at the top level of the body' {
            $extra = @{
                enable_search  = $true
                search_options = @{ forced_search = $true; search_strategy = 'max' }
                n              = 1
            }

            $null = Invoke-QwenChat -Prompt 'Search this' -Model qwen-plus -AdditionalParameter $extra -BaseUri $script:BaseUri

            $body = (Get-QwenTestLastChatRequest).bodyJson
            $body.enable_search | Should -Be $true
            $body.search_options.forced_search | Should -Be $true
            $body.search_options.search_strategy | Should -BeExactly 'max'
            $body.n | Should -Be 1
            $body.model | Should -BeExactly 'qwen-plus'
            $body.PSObject.Properties.Name | Should -Not -Contain 'parameters'
            $body.PSObject.Properties.Name | Should -Not -Contain 'extra_body'
        }

        It 'sends the sampling parameters under their DashScope names' {
            $null = Invoke-QwenChat -Prompt 'x' -Model qwen-plus -Temperature 0.5 -TopP 0.9 -TopK 20 -MaxTokens 64 -Seed 7 -EnableThinking -BaseUri $script:BaseUri

            $body = (Get-QwenTestLastChatRequest).bodyJson
            $body.temperature | Should -Be 0.5
            $body.top_p | Should -Be 0.9
            $body.top_k | Should -Be 20
            $body.max_tokens | Should -Be 64
            $body.seed | Should -Be 7
            $body.enable_thinking | Should -Be $true
            # Thinking is allowed only when streamed: the cmdlet streams by itself.
            $body.stream | Should -Be $true
        }

        It 'mentions the endpoint in -Verbose output and never the API key' {
            $secret = 'pester-verbose-secret-4242'
            $key = ConvertTo-SecureString -String $secret -AsPlainText -Force

            $output = @(Invoke-QwenChat -Prompt 'hello' -Model qwen-plus -ApiKey $key -BaseUri $script:BaseUri -Verbose 4>&1)

            $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
            $verbose.Count | Should -BeGreaterThan 0
            ($verbose -join "`n") | Should -Match ([regex]::Escape($script:BaseUri))
            ($verbose -join "`n") | Should -Not -Match ([regex]::Escape($secret))
            ($verbose -join "`n") | Should -Not -Match ([regex]::Escape($script:FakeKey))
            @($output | Where-Object { $_ -is [QwenPS.QwenChatResponse] }).Count | Should -Be 1
            (Get-QwenTestLastChatRequest).headers.Authorization | Should -BeExactly "Bearer $secret"
        }

        It 'never writes the API key to the debug stream either' {
            $DebugPreference = 'Continue'

            $output = @(Invoke-QwenChat -Prompt 'hello' -Model qwen-plus -BaseUri $script:BaseUri 5>&1)

            $debug = @($output | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object { $_.Message })
            ($debug -join "`n") | Should -Match 'Request body'
            ($debug -join "`n") | Should -Not -Match ([regex]::Escape($script:FakeKey))
            @($output | Where-Object { $_ -is [QwenPS.QwenChatResponse] }).Count | Should -Be 1
        }
    }

    Context 'Errors' {
        It 'turns a 400 into an InvalidParameter error about the model' {
            Add-QwenTestBehavior @{
                kind    = 'error'
                status  = 400
                code    = 'invalid_parameter_error'
                message = 'parameter.enable_thinking must be set to false for non-streaming calls'
                path    = '/chat/completions'
            }

            $err = { Invoke-QwenChat -Prompt 'x' -Model qwen-plus -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'InvalidParameter,*' -PassThru

            $requests = @(Get-QwenTestRequest)
            $requests.Count | Should -Be 1
            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidParameter*'
            $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $err.TargetObject | Should -BeExactly 'qwen-plus'
            $err.Exception | Should -BeOfType ([QwenPS.QwenException])
            $err.Exception.RequestId | Should -Not -BeNullOrEmpty
            $err.Exception.RequestId | Should -BeExactly $requests[0].requestId
            $err.Exception.StatusCode | Should -Be 400
            $err.Exception.Message | Should -Match 'enable_thinking'
        }

        It 'retries a 429 after Retry-After, with one warning' {
            Add-QwenTestBehavior @{
                kind    = 'error'
                status  = 429
                code    = 'limit_requests'
                type    = 'limit_requests'
                message = 'Requests rate limit exceeded, please try again later.'
                headers = @{ 'Retry-After' = '1' }
                path    = '/chat/completions'
            }

            $output = @(Invoke-QwenChat -Prompt 'retry me' -Model qwen-plus -BaseUri $script:BaseUri -WarningAction Continue 3>&1)

            $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $responses = @($output | Where-Object { $_ -is [QwenPS.QwenChatResponse] })
            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -Match 'RateLimited'
            $responses.Count | Should -Be 1
            $responses[0].Content | Should -BeExactly 'Answer to: retry me'
            @(Get-QwenTestRequest -Method POST -Path '/chat/completions').Count | Should -Be 2
        }

        It 'does not retry a 429 with -MaxRetry 0' {
            Add-QwenTestBehavior @{
                kind    = 'error'
                status  = 429
                code    = 'limit_requests'
                message = 'Requests rate limit exceeded, please try again later.'
                headers = @{ 'Retry-After' = '1' }
                path    = '/chat/completions'
            }

            $err = { Invoke-QwenChat -Prompt 'x' -Model qwen-plus -MaxRetry 0 -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'RateLimited,*' -PassThru

            $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::LimitsExceeded)
            @(Get-QwenTestRequest).Count | Should -Be 1
        }

        It 'fails with MissingApiKey, before any request, when there is no key' {
            Disconnect-Qwen
            $saved = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $null
            try {
                $err = { Invoke-QwenChat -Prompt 'x' -Model qwen-plus -BaseUri $script:BaseUri } |
                    Should -Throw -ErrorId 'MissingApiKey,*' -PassThru
            }
            finally {
                $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $saved
            }

            $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::AuthenticationError)
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'refuses plain http:// to a host that is not loopback' {
            $err = { Invoke-QwenChat -Prompt 'x' -Model qwen-plus -BaseUri 'http://example.com/compatible-mode/v1' } |
                Should -Throw -ErrorId 'InsecureEndpoint,*' -PassThru

            $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::SecurityError)
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'refuses to send nothing' {
            { Invoke-QwenChat -Model qwen-plus -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'InvalidArgument,*'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }
}
