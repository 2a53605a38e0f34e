# Copyright (c) QwenPS contributors. MIT License.
# Issue 10, chat side: structured output, partial mode, the context cache, web search and math answers,
# against the local test server (tests/QwenPS.TestServer/README.md, "Text generation").

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:BaseUri = $script:Session.BaseUri

    $script:Person = [ordered]@{
        type                 = 'object'
        additionalProperties = $false
        required             = @('name', 'age', 'city')
        properties           = [ordered]@{
            name = @{ type = 'string' }
            age  = @{ type = 'integer' }
            city = @{ type = 'string'; enum = @('Hangzhou', 'Beijing') }
        }
    }

    function Get-ChatRequests { @(Get-QwenTestRequest -Method POST -Path '/chat/completions') }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Structured output' {
    BeforeEach { Reset-QwenTestServer }

    Context '-AsJson' {
        It 'asks for a JSON object, adds the json instruction, and writes the answer as an object' {
            $output = @(Invoke-QwenChat -Prompt 'List three colours' -Model qwen-plus -AsJson -ResponseVariable r -BaseUri $script:BaseUri)

            $body = (Get-QwenTestLastChatRequest).bodyJson
            $body.response_format.type | Should -BeExactly 'json_object'
            @($body.messages).Count | Should -Be 2
            $body.messages[0].role | Should -BeExactly 'system'
            $body.messages[0].content | Should -BeExactly 'Reply with JSON.'
            $body.messages[1].content | Should -BeExactly 'List three colours'

            $output.Count | Should -Be 1
            $output[0] | Should -BeOfType ([System.Management.Automation.PSCustomObject])
            $output[0].answer | Should -BeExactly 'Answer to: List three colours'
            $r | Should -BeOfType ([QwenPS.QwenChatResponse])
            $r.Content | Should -BeExactly '{"answer":"Answer to: List three colours"}'
        }

        It 'adds nothing when a message already mentions JSON' {
            $null = Invoke-QwenChat -Prompt 'Give me json' -Model qwen-plus -AsJson -BaseUri $script:BaseUri

            $messages = @((Get-QwenTestLastChatRequest).bodyJson.messages)
            $messages.Count | Should -Be 1
            $messages[0].content | Should -BeExactly 'Give me json'
        }

        It 'turns thinking off for a hybrid model that thinks by default, without streaming' {
            $answer = Invoke-QwenChat -Prompt 'json please' -Model qwen3.5-plus -AsJson -BaseUri $script:BaseUri

            $body = (Get-QwenTestLastChatRequest).bodyJson
            $body.enable_thinking | Should -Be $false
            $body.PSObject.Properties.Name | Should -Not -Contain 'stream'
            $answer.answer | Should -BeExactly 'Answer to: json please'
        }

        It 'refuses -EnableThinking before any request' {
            { Invoke-QwenChat -Prompt 'json' -Model qwen-plus -AsJson -EnableThinking -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'JsonModeWithThinking,*'
            Get-ChatRequests | Should -BeNullOrEmpty
        }

        It 'refuses a model that always thinks before any request' {
            $err = { Invoke-QwenChat -Prompt 'json' -Model qwq-plus -AsObject -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'JsonModeWithThinking,*' -PassThru
            $err.Exception.Message | Should -Match 'qwq-plus always thinks'
            $err.TargetObject | Should -BeExactly 'qwq-plus'
            Get-ChatRequests | Should -BeNullOrEmpty
        }

        It 'refuses JSON output together with -Tool before any request' {
            { Invoke-QwenChat -Prompt 'json' -Model qwen-plus -AsJson -Tool (Get-Command Get-Date) -ToolInvocation Auto -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'InvalidArgument,*' -ExpectedMessage '*cannot be combined with -Tool*'
            Get-ChatRequests | Should -BeNullOrEmpty
        }

        It 'refuses -Stream, pointing to -Live' {
            { Invoke-QwenChat -Prompt 'json' -Model qwen-plus -AsJson -Stream -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'InvalidArgument,*' -ExpectedMessage '*-Live*'
            Get-ChatRequests | Should -BeNullOrEmpty
        }
    }

    Context '-JsonSchema' {
        It 'sends json_schema with strict and writes an object that exports to CSV' {
            $person = Invoke-QwenChat -Prompt 'Who?' -Model qwen-plus -JsonSchema $script:Person -BaseUri $script:BaseUri

            $format = (Get-QwenTestLastChatRequest).bodyJson.response_format
            $format.type | Should -BeExactly 'json_schema'
            $format.json_schema.name | Should -BeExactly 'response'
            $format.json_schema.strict | Should -Be $true
            $format.json_schema.schema.required | Should -Be @('name', 'age', 'city')
            $format.json_schema.schema.additionalProperties | Should -Be $false

            $person.name | Should -BeExactly 'name 1'
            $person.age | Should -Be 1
            $person.age | Should -BeOfType ([long])
            $person.city | Should -BeExactly 'Hangzhou'
            ($person | ConvertTo-Csv -NoTypeInformation) | Should -Be @('"name","age","city"', '"name 1","1","Hangzhou"')
        }

        It 'writes one pipeline object per item of an array answer' {
            $people = @(Invoke-QwenChat -Prompt 'Who?' -Model qwen-plus -JsonSchema @{ type = 'array'; items = $script:Person } -BaseUri $script:BaseUri)

            $people.Count | Should -Be 2
            $people.name | Should -Be @('name 1', 'name 2')
            @($people | ConvertTo-Csv -NoTypeInformation).Count | Should -Be 3
        }

        It 'takes the schema as a JSON string or a file, named after its title' {
            $json = '{"title":"person card","type":"object","properties":{"name":{"type":"string"}},"required":["name"]}'
            $path = Join-Path $TestDrive 'person.schema.json'
            Set-Content -LiteralPath $path -Value $json -Encoding utf8

            $fromText = Invoke-QwenChat -Prompt 'Who?' -Model qwen-plus -JsonSchema $json -BaseUri $script:BaseUri
            $first = (Get-QwenTestLastChatRequest).bodyJson.response_format.json_schema
            $fromFile = Invoke-QwenChat -Prompt 'Who?' -Model qwen-plus -JsonSchema $path -BaseUri $script:BaseUri
            $second = (Get-QwenTestLastChatRequest).bodyJson.response_format.json_schema

            $first.name | Should -BeExactly 'person_card'
            ($second | ConvertTo-Json -Depth 9 -Compress) | Should -BeExactly ($first | ConvertTo-Json -Depth 9 -Compress)
            $fromText.name | Should -BeExactly 'name 1'
            $fromFile.name | Should -BeExactly 'name 1'
        }

        It 'takes a schema read with ConvertFrom-Json, and shows the answer with -Live while writing objects' {
            $schema = '{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}' | ConvertFrom-Json

            $output = @(Invoke-QwenChat -Prompt 'Who?' -Model qwen-plus -JsonSchema $schema -Live -InformationVariable shown -BaseUri $script:BaseUri 6>$null)

            (Get-QwenTestLastChatRequest).bodyJson.response_format.json_schema.schema.required | Should -Be @('name')
            (Get-QwenTestLastChatRequest).bodyJson.stream | Should -Be $true
            $output.Count | Should -Be 1
            $output[0].name | Should -BeExactly 'name 1'
            (-join @($shown | ForEach-Object { $_.MessageData.Message })) | Should -Match ([regex]::Escape('{"name":"name 1"}'))
        }

        It 'refuses an unusable schema before any request' -TestCases @(
            @{ Schema = '{"type":"object","properties":{"when":{"type":"date"}}}'; Says = "*'type' must be one of*" }
            @{ Schema = '{"type":"string"}'; Says = '*must describe an object or an array*' }
            @{ Schema = 'TestDrive:/missing.json'; Says = '*missing.json*' }
        ) {
            param($Schema, $Says)
            { Invoke-QwenChat -Prompt 'x' -Model qwen-plus -JsonSchema $Schema -BaseUri $script:BaseUri } |
                Should -Throw -ExpectedMessage $Says
            Get-ChatRequests | Should -BeNullOrEmpty
        }
    }

    Context 'Repairing an unusable answer' {
        It 'asks again once with the validation error, then writes the good answer' {
            Add-QwenTestBehavior @{ kind = 'badJson'; fault = 'schemaViolation' }

            $person = Invoke-QwenChat -Prompt 'Who?' -Model qwen-plus -JsonSchema $script:Person -BaseUri $script:BaseUri

            $requests = Get-ChatRequests
            $requests.Count | Should -Be 2
            $messages = @($requests[1].bodyJson.messages)
            (($messages | ForEach-Object { $_.role }) -join ',') | Should -BeExactly 'user,assistant,user'
            $messages[1].content | Should -BeExactly '{"age":1,"city":"Hangzhou","unexpected":true}'
            $messages[2].content | Should -Match ([regex]::Escape('$.name: required property is missing'))
            $messages[2].content | Should -Match 'Reply again with only the corrected JSON\.$'
            $person.name | Should -BeExactly 'name 1'
        }

        It 'repairs a truncated answer (finish_reason length) too' {
            Add-QwenTestBehavior @{ kind = 'badJson'; fault = 'truncated' }

            $answer = Invoke-QwenChat -Prompt 'Give json' -Model qwen-plus -AsJson -BaseUri $script:BaseUri

            (Get-ChatRequests).Count | Should -Be 2
            $repair = (Get-ChatRequests)[1].bodyJson.messages[-1].content
            $repair | Should -Match 'finish_reason length'
            $answer.answer | Should -BeExactly ('Answer to: ' + $repair)
        }

        It 'fails with JsonAnswerInvalid carrying the raw text when the repair fails too' {
            Add-QwenTestBehavior @{ kind = 'badJson'; fault = 'invalid' } -Times 2

            $err = $null
            try { Invoke-QwenChat -Prompt 'Give json' -Model qwen-plus -AsJson -ResponseVariable last -BaseUri $script:BaseUri -ErrorAction Stop }
            catch { $err = $_ }

            $err.FullyQualifiedErrorId | Should -BeLike 'JsonAnswerInvalid,*'

            (Get-ChatRequests).Count | Should -Be 2
            $err.CategoryInfo.Category | Should -Be 'InvalidResult'
            $repair = (Get-ChatRequests)[1].bodyJson.messages[-1].content
            $err.TargetObject | Should -BeExactly ('{"answer":"Answer to: ' + $repair + '",}')
            $err.Exception.Message | Should -Match 'not valid JSON'
            $last.Content | Should -BeExactly $err.TargetObject
        }

        It 'does not ask again with -MaxRepair 0' {
            Add-QwenTestBehavior @{ kind = 'badJson'; fault = 'invalid' }

            { Invoke-QwenChat -Prompt 'Give json' -Model qwen-plus -AsJson -MaxRepair 0 -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'JsonAnswerInvalid,*'
            (Get-ChatRequests).Count | Should -Be 1
        }
    }
}

Describe 'Partial mode' {
    BeforeEach { Reset-QwenTestServer }

    It 'marks the last assistant message partial and joins prefix and continuation' {
        $r = New-QwenMessage -Role User -Content 'Hello there' |
            New-QwenMessage -Role Assistant -Content 'Answer to: He' -Partial |
            Invoke-QwenChat -Model qwen-plus -BaseUri $script:BaseUri

        $messages = @((Get-QwenTestLastChatRequest).bodyJson.messages)
        $messages[1].partial | Should -Be $true
        $messages[0].PSObject.Properties.Name | Should -Not -Contain 'partial'
        $r.Content | Should -BeExactly 'llo there'
        $r.FullContent | Should -BeExactly 'Answer to: Hello there'
        $r.History[-1].Content | Should -BeExactly 'Answer to: Hello there'
        $r.History.Count | Should -Be 2
    }

    It 'refuses -Partial on a message that is not an assistant message' {
        { New-QwenMessage -Role User -Content 'x' -Partial } | Should -Throw -ErrorId 'InvalidArgument,*'
    }

    It 'refuses a partial message that is not the last one before any request' {
        { New-QwenMessage -Role Assistant -Content 'def fib(n):' -Partial | Invoke-QwenChat -Prompt 'more' -Model qwen-plus -BaseUri $script:BaseUri } |
            Should -Throw -ErrorId 'InvalidArgument,*' -ExpectedMessage '*last*'
        Get-ChatRequests | Should -BeNullOrEmpty
    }

    It 'refuses thinking with a partial message before any request' {
        { New-QwenMessage -Role User -Content 'fib' | New-QwenMessage -Role Assistant -Content 'def fib(n):' -Partial |
                Invoke-QwenChat -Model qwen-plus -EnableThinking -BaseUri $script:BaseUri } |
            Should -Throw -ErrorId 'PartialModeWithThinking,*'
        Get-ChatRequests | Should -BeNullOrEmpty
    }

    It 'sends enable_thinking false for a hybrid model in partial mode' {
        $null = New-QwenMessage -Role User -Content 'fib' | New-QwenMessage -Role Assistant -Content 'def fib(n):' -Partial |
            Invoke-QwenChat -Model qwen3.5-plus -BaseUri $script:BaseUri

        (Get-QwenTestLastChatRequest).bodyJson.enable_thinking | Should -Be $false
    }

    Context '-Continue' {
        It 'continues an answer cut by the token limit and joins the result' {
            $cut = Invoke-QwenChat -Prompt 'Hello there' -Model qwen-plus -MaxTokens 8 -BaseUri $script:BaseUri
            $cut.FinishReason | Should -BeExactly 'length'
            $cut.Content | Should -BeExactly 'Answer t'

            $whole = $cut | Invoke-QwenChat -Continue -BaseUri $script:BaseUri

            $messages = @((Get-QwenTestLastChatRequest).bodyJson.messages)
            (($messages | ForEach-Object { $_.role }) -join ',') | Should -BeExactly 'user,assistant'
            $messages[1].content | Should -BeExactly 'Answer t'
            $messages[1].partial | Should -Be $true
            $whole.Content | Should -BeExactly 'o: Hello there'
            $whole.FullContent | Should -BeExactly 'Answer to: Hello there'
            $whole.FinishReason | Should -BeExactly 'stop'
            $whole.Model | Should -BeExactly 'qwen-plus'
        }

        It 'refuses an answer that was not cut, and -Prompt, before any request' {
            $done = Invoke-QwenChat -Prompt 'Hi' -Model qwen-plus -BaseUri $script:BaseUri
            Reset-QwenTestServer

            { $done | Invoke-QwenChat -Continue -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'NothingToContinue,*'
            { Invoke-QwenChat -Continue -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'NothingToContinue,*'
            { $done | Invoke-QwenChat -Continue -Prompt 'more' -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'InvalidArgument,*'
            Get-ChatRequests | Should -BeNullOrEmpty
        }
    }
}

Describe 'Context cache' {
    BeforeEach { Reset-QwenTestServer }

    It 'sends a -Cache message as one marked text part and reports creation, then the hit' {
        $context = 'c' * 1100
        $first = New-QwenMessage -Role System -Content $context -Cache | Invoke-QwenChat -Prompt 'Where?' -Model qwen-plus -BaseUri $script:BaseUri
        $system = (Get-QwenTestLastChatRequest).bodyJson.messages[0]
        $second = New-QwenMessage -Role System -Content $context -Cache | Invoke-QwenChat -Prompt 'Where?' -Model qwen-plus -BaseUri $script:BaseUri

        @($system.content).Count | Should -Be 1
        $system.content[0].type | Should -BeExactly 'text'
        $system.content[0].text | Should -BeExactly $context
        $system.content[0].cache_control.type | Should -BeExactly 'ephemeral'
        (Get-QwenTestLastChatRequest).bodyJson.messages[1].content | Should -BeExactly 'Where?'

        $first.Usage.CacheCreationTokens | Should -Be 1100
        $first.Usage.CachedTokens | Should -Be 0
        $first.Usage.CacheType | Should -BeExactly 'ephemeral'
        $second.Usage.CachedTokens | Should -Be 1100
        $second.Usage.CacheCreationTokens | Should -Be 0
    }

    It 'marks the last part of a message with an image' {
        $null = New-QwenMessage -Role User -Content 'Describe it.' -Image 'https://example.com/a.png' -Cache |
            Invoke-QwenChat -Model qwen-plus -BaseUri $script:BaseUri

        $parts = @((Get-QwenTestLastChatRequest).bodyJson.messages[0].content)
        $parts.Count | Should -Be 2
        $parts[0].type | Should -BeExactly 'image_url'
        $parts[0].PSObject.Properties.Name | Should -Not -Contain 'cache_control'
        $parts[1].text | Should -BeExactly 'Describe it.'
        $parts[1].cache_control.type | Should -BeExactly 'ephemeral'
    }

    It 'reports the cache fields on the streamed usage record' {
        $records = @(New-QwenMessage -Role System -Content ('s' * 1030) -Cache | Invoke-QwenChat -Prompt 'Q' -Model qwen-plus -Stream -BaseUri $script:BaseUri)

        $usage = $records[-1]
        $usage | Should -BeOfType ([QwenPS.QwenUsage])
        $usage.CacheCreationTokens | Should -Be 1030
        $usage.CacheType | Should -BeExactly 'ephemeral'
    }

    It 'keeps only the last four markers, with a warning' {
        $messages = 1..5 | ForEach-Object { New-QwenMessage -Role User -Content "part $_" -Cache }
        $null = $messages | Invoke-QwenChat -Model qwen-plus -WarningVariable warned -WarningAction SilentlyContinue -BaseUri $script:BaseUri

        $sent = @((Get-QwenTestLastChatRequest).bodyJson.messages)
        $sent[0].content | Should -BeExactly 'part 1'
        foreach ($i in 1..4) { $sent[$i].content[0].cache_control.type | Should -BeExactly 'ephemeral' }
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -Match 'four'
    }

    It 'shows an implicit cache hit' {
        Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ contentChunks = 'ok'; usage = @{ promptTokens = 300; completionTokens = 2; cachedTokens = 256; cacheType = 'implicit' } } }

        $r = Invoke-QwenChat -Prompt 'x' -Model qwen-plus -BaseUri $script:BaseUri

        $r.Usage.CachedTokens | Should -Be 256
        $r.Usage.CacheType | Should -BeExactly 'implicit'
        $r.Usage.CacheCreationTokens | Should -BeNullOrEmpty
    }
}

Describe 'Web search' {
    BeforeEach { Reset-QwenTestServer }

    It 'sends enable_search' {
        $r = Invoke-QwenChat -Prompt 'News' -Model qwen-plus -EnableSearch -BaseUri $script:BaseUri

        $body = (Get-QwenTestLastChatRequest).bodyJson
        $body.enable_search | Should -Be $true
        $body.PSObject.Properties.Name | Should -Not -Contain 'search_options'
        $r.Content | Should -BeExactly 'Answer to: News [search]'
    }

    It 'sends -SearchOption as search_options, which implies -EnableSearch' {
        $r = Invoke-QwenChat -Prompt 'News' -Model qwen-plus -SearchOption ([ordered]@{ forced_search = $true; search_strategy = 'max' }) -BaseUri $script:BaseUri

        $body = (Get-QwenTestLastChatRequest).bodyJson
        $body.enable_search | Should -Be $true
        $body.search_options.forced_search | Should -Be $true
        $body.search_options.search_strategy | Should -BeExactly 'max'
        $r.Content | Should -BeExactly 'Answer to: News [search: forced_search=true, search_strategy=max]'
    }

    It 'refuses what the service would refuse before any request' -TestCases @(
        @{ Arguments = @{ Model = 'qwen-plus'; SearchOption = @{ search_strategy = 'fast' } }; Says = '*turbo, max, agent, agent_max*' }
        @{ Arguments = @{ Model = 'qwen3-max'; SearchOption = @{ search_strategy = 'agent'; forced_search = $true } }; Says = '*enable_source*' }
        @{ Arguments = @{ Model = 'qwen-plus'; SearchOption = @{ forced_search = $true }; EnableSearch = $false }; Says = '*-EnableSearch*' }
        @{ Arguments = @{ EnableSearch = $true; Model = 'qwen-long' }; Says = '*qwen-long*' }
    ) {
        param($Arguments, $Says)
        { Invoke-QwenChat -Prompt 'x' @Arguments -BaseUri $script:BaseUri } | Should -Throw -ExpectedMessage $Says
        Get-ChatRequests | Should -BeNullOrEmpty
    }
}

Describe 'Math answers' {
    BeforeEach { Reset-QwenTestServer }

    It 'extracts the last boxed answer, nested braces and all' {
        $r = New-QwenMessage -Role System -Content 'Please reason step by step, and put your final answer within \boxed{}.' |
            Invoke-QwenChat -Prompt 'Solve $x^2 - 5x + 6 = 0$.' -Model qwen-math-plus -BaseUri $script:BaseUri

        $r.BoxedAnswer | Should -BeExactly ('\frac{' + 'Solve $x^2 - 5x + 6 = 0$.'.Length + '}{2}')
    }

    It 'has no boxed answer when the text has none, and the list view shows the line only when there is one' {
        $plain = Invoke-QwenChat -Prompt 'Hi' -Model qwen-plus -BaseUri $script:BaseUri
        $math = Invoke-QwenChat -Prompt '1+1' -Model qwen-math-turbo -BaseUri $script:BaseUri

        $plain.BoxedAnswer | Should -BeNullOrEmpty
        ($plain | Format-List | Out-String) | Should -Not -Match 'BoxedAnswer'
        ($math | Format-List | Out-String) | Should -Match ('BoxedAnswer\s*:\s*' + [regex]::Escape('\frac{3}{2}'))
    }
}
