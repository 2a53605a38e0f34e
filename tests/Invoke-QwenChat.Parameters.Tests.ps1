# Copyright (c) QwenPS contributors. MIT License.
# Invoke-QwenChat, parameter by parameter: what the server receives when a parameter is given and when it is not,
# what -ResponseVariable holds after a cut stream, and what the error records carry.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:BaseUri = $script:Session.BaseUri

    # The body of the one chat request a call made.
    function Get-SentBody {
        @(Get-QwenTestRequest -Method POST -Path '/chat/completions').Count | Should -Be 1
        (Get-QwenTestLastChatRequest).bodyJson
    }

    function Get-ChunkText {
        param([object[]]$Records)

        -join @($Records | Where-Object { $_ -is [QwenPS.QwenContentChunk] } | ForEach-Object { $_.Text })
    }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Invoke-QwenChat parameters' {
    BeforeEach {
        Reset-QwenTestServer
    }

    Context 'Absent parameters send nothing' {
        It 'sends only model and messages when no option is given' {
            $null = Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri

            $body = Get-SentBody
            (@($body.PSObject.Properties.Name | Sort-Object) -join ',') | Should -BeExactly 'messages,model'
            $body.model | Should -BeExactly 'qwen-plus'
        }

        It 'sends no thinking_budget, presence_penalty or stop in a streamed call without them' {
            $null = Invoke-QwenChat -Prompt 'x' -Model qwen-plus -Stream -EnableThinking -BaseUri $script:BaseUri

            $names = @((Get-SentBody).PSObject.Properties.Name)
            $names | Should -Not -Contain 'thinking_budget'
            $names | Should -Not -Contain 'presence_penalty'
            $names | Should -Not -Contain 'stop'
            $names | Should -Not -Contain 'temperature'
            (@($names | Sort-Object) -join ',') | Should -BeExactly 'enable_thinking,messages,model,stream,stream_options'
        }
    }

    Context 'Each option under its DashScope name' {
        It 'sends -<Parameter> <Display> as <Field>' -ForEach @(
            @{ Parameter = 'ThinkingBudget'; Value = 128; Display = '128'; Field = 'thinking_budget'; Expected = 128 }
            @{ Parameter = 'PresencePenalty'; Value = 1.5; Display = '1.5'; Field = 'presence_penalty'; Expected = 1.5 }
            @{ Parameter = 'PresencePenalty'; Value = -2.0; Display = '-2.0'; Field = 'presence_penalty'; Expected = -2 }
            @{ Parameter = 'PresencePenalty'; Value = 0.0; Display = '0 (given, so sent)'; Field = 'presence_penalty'; Expected = 0 }
            @{ Parameter = 'Temperature'; Value = 0.0; Display = '0 (given, so sent)'; Field = 'temperature'; Expected = 0 }
            @{ Parameter = 'Temperature'; Value = 1.3; Display = '1.3'; Field = 'temperature'; Expected = 1.3 }
            @{ Parameter = 'TopP'; Value = 0.25; Display = '0.25'; Field = 'top_p'; Expected = 0.25 }
            @{ Parameter = 'TopK'; Value = 0; Display = '0 (given, so sent)'; Field = 'top_k'; Expected = 0 }
            @{ Parameter = 'TopK'; Value = 50; Display = '50'; Field = 'top_k'; Expected = 50 }
            @{ Parameter = 'MaxTokens'; Value = 1; Display = '1'; Field = 'max_tokens'; Expected = 1 }
            @{ Parameter = 'Seed'; Value = 0; Display = '0 (given, so sent)'; Field = 'seed'; Expected = 0 }
            @{ Parameter = 'Seed'; Value = 12345; Display = '12345'; Field = 'seed'; Expected = 12345 }
        ) {
            $arguments = @{ $Parameter = $Value }

            $null = Invoke-QwenChat -Prompt 'x' -Model qwen-plus -BaseUri $script:BaseUri @arguments

            $body = Get-SentBody
            $body.PSObject.Properties.Name | Should -Contain $Field
            $body.$Field | Should -Be $Expected
            # Only that option was added.
            $expected = @('messages', 'model', $Field) | Sort-Object
            (@($body.PSObject.Properties.Name | Sort-Object) -join ',') | Should -BeExactly ($expected -join ',')
        }

        It 'sends -ThinkingBudget with -EnableThinking in a streamed call' {
            $null = Invoke-QwenChat -Prompt 'x' -Model qwen-plus -EnableThinking -ThinkingBudget 50 -BaseUri $script:BaseUri

            $body = Get-SentBody
            $body.thinking_budget | Should -Be 50
            $body.enable_thinking | Should -Be $true
            $body.stream | Should -Be $true
        }

        It 'sends -EnableThinking:$false as enable_thinking false, without streaming' {
            $null = Invoke-QwenChat -Prompt 'x' -Model qwen-plus -EnableThinking:$false -BaseUri $script:BaseUri

            $body = Get-SentBody
            $body.PSObject.Properties.Name | Should -Contain 'enable_thinking'
            $body.enable_thinking | Should -Be $false
            $body.PSObject.Properties.Name | Should -Not -Contain 'stream'
        }

        It 'sends one -Stop string as a JSON string' {
            $null = Invoke-QwenChat -Prompt 'x' -Model qwen-plus -Stop 'END' -BaseUri $script:BaseUri

            $request = Get-QwenTestLastChatRequest
            $request.bodyJson.stop | Should -BeExactly 'END'
            $request.bodyText | Should -Match '"stop":"END"'
        }

        It 'sends several -Stop strings as a JSON array, in order' {
            $null = Invoke-QwenChat -Prompt 'x' -Model qwen-plus -Stop 'END', '停', "`n`n" -BaseUri $script:BaseUri

            $request = Get-QwenTestLastChatRequest
            $request.bodyText | Should -Match '"stop":\['
            $stop = @($request.bodyJson.stop)
            $stop.Count | Should -Be 3
            $stop[0] | Should -BeExactly 'END'
            $stop[1] | Should -BeExactly '停'
            $stop[2] | Should -BeExactly "`n`n"
        }

        It 'sends -Model as model' {
            $null = Invoke-QwenChat -Prompt 'x' -Model 'qwen-max' -BaseUri $script:BaseUri

            (Get-SentBody).model | Should -BeExactly 'qwen-max'
        }

        It 'lets an -AdditionalParameter key replace the value of an option, and ignores model and messages' {
            $extra = @{ temperature = 1.1; model = 'not-this'; messages = @() }

            $null = Invoke-QwenChat -Prompt 'x' -Model qwen-plus -Temperature 0.5 -AdditionalParameter $extra -BaseUri $script:BaseUri

            $body = Get-SentBody
            $body.temperature | Should -Be 1.1
            $body.model | Should -BeExactly 'qwen-plus'
            @($body.messages).Count | Should -Be 1
        }
    }

    Context 'Bad values are refused before any request' {
        It 'refuses -<Parameter> <Value>' -ForEach @(
            @{ Parameter = 'ThinkingBudget'; Value = 0 }
            @{ Parameter = 'PresencePenalty'; Value = 2.5 }
            @{ Parameter = 'PresencePenalty'; Value = -2.5 }
            @{ Parameter = 'Temperature'; Value = 2.1 }
            @{ Parameter = 'TopP'; Value = 1.5 }
            @{ Parameter = 'TopK'; Value = -1 }
            @{ Parameter = 'MaxTokens'; Value = 0 }
            @{ Parameter = 'Seed'; Value = -1 }
            @{ Parameter = 'MaxRetry'; Value = 11 }
            @{ Parameter = 'TimeoutSec'; Value = -1 }
            @{ Parameter = 'IdleTimeoutSec'; Value = 0 }
            @{ Parameter = 'Stop'; Value = '' }
            @{ Parameter = 'Model'; Value = '' }
            @{ Parameter = 'ResponseVariable'; Value = '' }
        ) {
            $arguments = @{ $Parameter = $Value }

            $err = { Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri @arguments } |
                Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -PassThru

            $err.Exception.ParameterName | Should -BeExactly $Parameter
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'refuses a -Prompt of white space with InvalidArgument' {
            $err = { Invoke-QwenChat -Prompt '   ' -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'InvalidArgument,QwenPS.Commands.InvokeQwenChatCommand' -PassThru

            $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context 'Messages and conversations' {
        It 'sends -Message given as a parameter, in order, before -Prompt' {
            $messages = @((New-QwenMessage -Role System -Content 'Be brief.'), (New-QwenMessage -Role User -Content 'first'))

            $null = Invoke-QwenChat -Message $messages -Prompt 'second' -BaseUri $script:BaseUri

            $sent = @((Get-SentBody).messages)
            (($sent | ForEach-Object { "$($_.role):$($_.content)" }) -join '|') | Should -BeExactly 'system:Be brief.|user:first|user:second'
        }

        It 'sends -Conversation given as a parameter, then the piped messages, then -Prompt' {
            $first = Invoke-QwenChat -Prompt 'one' -Model qwen-max -BaseUri $script:BaseUri
            Reset-QwenTestServer

            $null = New-QwenMessage -Role User -Content 'piped' | Invoke-QwenChat -Conversation $first -Prompt 'three' -BaseUri $script:BaseUri

            $body = Get-SentBody
            $sent = @($body.messages)
            (($sent | ForEach-Object { "$($_.role):$($_.content)" }) -join '|') | Should -BeExactly "user:one|assistant:$($first.Content)|user:piped|user:three"
            # The conversation's model is used when -Model is not given.
            $body.model | Should -BeExactly 'qwen-max'
        }
    }

    Context '-Stream, -Live and -ResponseVariable' {
        It 'asks for a stream with usage and writes chunks, not a response, with -Stream' {
            $records = @(Invoke-QwenChat -Prompt 'stream me' -Model qwen-plus -Stream -BaseUri $script:BaseUri)

            $body = Get-SentBody
            $body.stream | Should -Be $true
            $body.stream_options.include_usage | Should -Be $true
            @($records | Where-Object { $_ -is [QwenPS.QwenChatResponse] }).Count | Should -Be 0
            Get-ChunkText -Records $records | Should -BeExactly 'Answer to: stream me'
            $records[-1] | Should -BeOfType ([QwenPS.QwenUsage])
        }

        It 'streams with -Live alone and writes the text to the Information stream' {
            $output = @(Invoke-QwenChat -Prompt 'live' -Model qwen-plus -Live -BaseUri $script:BaseUri -InformationVariable shown)

            (Get-SentBody).stream | Should -Be $true
            $output.Count | Should -Be 1
            $output[0] | Should -BeOfType ([QwenPS.QwenChatResponse])
            (-join @($shown | ForEach-Object { $_.MessageData.Message })) | Should -Match ([regex]::Escape('Answer to: live'))
        }

        It 'sets -ResponseVariable to the returned response without -Stream' {
            $returned = Invoke-QwenChat -Prompt 'keep' -Model qwen-plus -ResponseVariable kept -BaseUri $script:BaseUri

            $kept | Should -BeOfType ([QwenPS.QwenChatResponse])
            $kept.Content | Should -BeExactly 'Answer to: keep'
            $kept.Content | Should -BeExactly $returned.Content
            $kept.Incomplete | Should -BeFalse
        }

        It 'sets -ResponseVariable in the scope the command runs in' {
            $inner = & {
                $null = Invoke-QwenChat -Prompt 'scoped' -Model qwen-plus -ResponseVariable scopedResponse -BaseUri $script:BaseUri
                $scopedResponse
            }

            $inner.Content | Should -BeExactly 'Answer to: scoped'
            Test-Path -Path 'variable:scopedResponse' | Should -BeFalse
        }
    }

    Context 'A stream that breaks' {
        It 'keeps the chunks written, ends with <ErrorId>, and -ResponseVariable holds the partial response (-Stream)' -ForEach @(
            @{ ErrorId = 'StreamInterrupted'; Behavior = @{ kind = 'stream'; cutAfterChunks = 3; reply = @{ contentChunks = @('one ', 'two ', 'three ', 'four ', 'five') } } }
            @{ ErrorId = 'StreamError'; Behavior = @{ kind = 'stream'; errorChunkAfterChunks = 3; errorCode = 'InternalError.Algo'; errorMessage = 'boom'; reply = @{ contentChunks = @('one ', 'two ', 'three ', 'four ', 'five') } } }
            @{ ErrorId = 'MalformedStream'; Behavior = @{ kind = 'stream'; malformedLineAfterChunks = 3; reply = @{ contentChunks = @('one ', 'two ', 'three ', 'four ', 'five') } } }
            @{ ErrorId = 'IdleTimeout'; Behavior = @{ kind = 'stream'; silenceAfterChunks = 3; silenceMs = 8000; reply = @{ contentChunks = @('one ', 'two ', 'three ', 'four ', 'five') } }; IdleTimeoutSec = 1 }
        ) {
            Add-QwenTestBehavior $Behavior
            $idle = @{}
            if ($IdleTimeoutSec) { $idle['IdleTimeoutSec'] = $IdleTimeoutSec }
            $records = [System.Collections.Generic.List[object]]::new()
            $partial = 'not set'

            # Not inside a Should -Throw script block: -ResponseVariable sets the variable in the scope the command runs in.
            $err = $null
            try {
                Invoke-QwenChat -Prompt 'x' -Model qwen-plus -Stream -ResponseVariable partial -BaseUri $script:BaseUri @idle -ErrorAction Stop | ForEach-Object { $records.Add($_) }
            }
            catch {
                $err = $_
            }

            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,QwenPS.Commands.InvokeQwenChatCommand"

            $written = Get-ChunkText -Records $records
            $written | Should -Not -BeNullOrEmpty
            'one two three four five'.StartsWith($written) | Should -BeTrue
            $written | Should -Not -BeExactly 'one two three four five'
            $partial | Should -BeOfType ([QwenPS.QwenChatResponse])
            $partial.Incomplete | Should -BeTrue
            $partial.Content | Should -BeExactly $written
            $err.Exception | Should -BeOfType ([QwenPS.QwenException])
            $err.Exception.PartialResponse.Content | Should -BeExactly $written
            $err.TargetObject | Should -BeExactly 'qwen-plus'
        }

        It 'writes the partial response, marked Incomplete, before the error without -Stream' {
            Add-QwenTestBehavior @{ kind = 'stream'; cutAfterChunks = 3; reply = @{ contentChunks = @('one ', 'two ', 'three ', 'four') } }
            $output = [System.Collections.Generic.List[object]]::new()

            $err = $null
            try {
                Invoke-QwenChat -Prompt 'x' -Model qwq-plus -ResponseVariable partial -BaseUri $script:BaseUri -ErrorAction Stop | ForEach-Object { $output.Add($_) }
            }
            catch {
                $err = $_
            }

            $err.FullyQualifiedErrorId | Should -BeExactly 'StreamInterrupted,QwenPS.Commands.InvokeQwenChatCommand'

            $output.Count | Should -Be 1
            $output[0] | Should -BeOfType ([QwenPS.QwenChatResponse])
            $output[0].Incomplete | Should -BeTrue
            $output[0].Content | Should -Not -BeNullOrEmpty
            'one two three four'.StartsWith($output[0].Content) | Should -BeTrue
            $partial.Content | Should -BeExactly $output[0].Content
            $partial.Incomplete | Should -BeTrue
            $err.Exception.PartialResponse.Content | Should -BeExactly $output[0].Content
        }

        It 'counts a stream cut after the finish reason as complete' {
            Add-QwenTestBehavior @{ kind = 'stream'; cutAfterFinish = $true }

            $records = @(Invoke-QwenChat -Prompt 'whole' -Model qwen-plus -Stream -ResponseVariable whole -BaseUri $script:BaseUri)

            Get-ChunkText -Records $records | Should -BeExactly 'Answer to: whole'
            $whole.Incomplete | Should -BeFalse
        }
    }

    Context 'Error records' {
        It 'carries the id, category, target, exception and the request id in ErrorDetails' {
            Add-QwenTestBehavior @{ kind = 'error'; status = 400; code = 'invalid_parameter_error'; message = 'bad temperature'; path = '/chat/completions' }

            $err = { Invoke-QwenChat -Prompt 'x' -Model qwen-max -BaseUri $script:BaseUri } | Should -Throw -PassThru

            $requestId = (Get-QwenTestLastChatRequest).requestId
            $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidParameter,QwenPS.Commands.InvokeQwenChatCommand'
            $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $err.TargetObject | Should -BeExactly 'qwen-max'
            $err.Exception | Should -BeOfType ([QwenPS.QwenException])
            $err.Exception.ErrorId | Should -BeExactly 'InvalidParameter'
            $err.Exception.ServiceCode | Should -BeExactly 'invalid_parameter_error'
            $err.Exception.RequestId | Should -BeExactly $requestId
            $err.ErrorDetails | Should -Not -BeNullOrEmpty
            $err.ErrorDetails.Message | Should -BeExactly $err.Exception.Message
            $err.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($requestId))
            $err.ErrorDetails.RecommendedAction | Should -Match 'support'
        }

        It 'sets no ErrorDetails when the service was never reached' {
            $saved = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $null
            try {
                $err = { Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'MissingApiKey,QwenPS.Commands.InvokeQwenChatCommand' -PassThru
            }
            finally {
                $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $saved
            }

            # Issue 14: the next step is said (where the key goes), but no request id is quoted.
            $err.ErrorDetails.RecommendedAction | Should -Not -Match 'request id'
            $err.Exception.RequestId | Should -BeNullOrEmpty
        }
    }
}
