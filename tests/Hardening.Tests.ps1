# Copyright (c) QwenPS contributors. MIT License.
# Issue 14: what a PowerShell user sees when the service (or the user) does something unusual. Each Context names
# the item of the issue it pins. The key here is a plain canary (not shaped like a DashScope key), so only the
# "known key" redaction can catch it, in any case it is echoed in.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Key = 'QWENPS-PLAIN-CANARY-8d41c07e2b9a4f63'
    $script:Session = Start-QwenTestSession -ApiKey $script:Key
    $script:Server = $script:Session.Server
    $script:BaseUri = $script:Session.BaseUri
    $null = Set-QwenTestServerOption @{ expectedApiKey = $script:Key }
    $script:Manifest = Join-Path $PSScriptRoot '..' 'QwenPS.psd1'

    # Every text PowerShell can make of an error: the message, ToString of the exception chain, the JSON and CLIXML
    # serializations, Get-Error, and every property of every inner exception.
    function Get-ErrorText {
        param([System.Management.Automation.ErrorRecord]$Record)

        $texts = [System.Collections.Generic.List[string]]::new()
        $texts.Add(($Record | Out-String))
        $texts.Add(($Record | Get-Error | Out-String))
        $texts.Add(($Record | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue))
        $texts.Add([System.Management.Automation.PSSerializer]::Serialize($Record, 6))
        $texts.Add([string]$Record.TargetObject)
        for ($e = $Record.Exception; $null -ne $e; $e = $e.InnerException) {
            $texts.Add($e.ToString())
            $texts.Add(($e | Format-List -Property * -Force | Out-String -Width 4096))
            foreach ($property in $e.PSObject.Properties) {
                $value = $null
                try { $value = $property.Value } catch { }
                if ($null -ne $value -and $value -isnot [string] -and $value -isnot [System.Exception]) {
                    $texts.Add(($value | Format-List -Property * -Force | Out-String -Width 4096))
                }
            }
        }

        $texts -join "`n"
    }

    # The key, or any 8 characters of it in a row, in any case.
    function Test-KeyIn {
        param([string]$Text)

        for ($i = 0; $i -le $script:Key.Length - 8; $i++) {
            if ($Text.IndexOf($script:Key.Substring($i, 8), [System.StringComparison]::OrdinalIgnoreCase) -ge 0) {
                return $true
            }
        }

        $false
    }

    # The errors of one call, terminating or not, in order (so a test does not depend on which kind it is).
    function Get-CallError {
        param([scriptblock]$Call)

        $collected = [System.Collections.Generic.List[object]]::new()
        try {
            . $Call 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $collected.Add($_) } }
        }
        catch {
            $collected.Add($_)
        }

        , $collected.ToArray()
    }

    function Invoke-Pwsh {
        param([string]$Script)

        $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
        $prelude = "Import-Module '$($script:Manifest)'; `$env:DASHSCOPE_API_KEY = '$($script:Key)'; `$BaseUri = '$($script:BaseUri)'; "
        $output = & $dotnet pwsh -NoProfile -NonInteractive -Command ($prelude + $Script) 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Hardening (issue 14)' {
    BeforeEach {
        Reset-QwenTestServer
    }

    Context 'Item 1: the key is in nothing reachable from an ErrorRecord' {
        It 'a mid-stream error chunk echoing the key: not in the inner exceptions, ConvertTo-Json, CLIXML or Get-Error' {
            Add-QwenTestBehavior @{ kind = 'stream'; errorChunkAfterChunks = 2; errorCode = 'InternalError'; errorMessage = "upstream rejected $($script:Key)" }

            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -Stream -BaseUri $script:BaseUri }

            $failures.Count | Should -Be 1
            Test-KeyIn (Get-ErrorText $failures[0]) | Should -BeFalse
        }

        It 'an error body echoing the key in lower case: not anywhere in the ErrorRecord' {
            Add-QwenTestBehavior @{ kind = 'error'; status = 400; code = 'InvalidParameter'; message = "bad key $($script:Key.ToLowerInvariant())" }

            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri }

            $failures.Count | Should -Be 1
            Test-KeyIn (Get-ErrorText $failures[0]) | Should -BeFalse
        }
    }

    Context 'Item 3: mask first, then cut' {
        It 'a non-JSON error body with the key at character 190 leaves no piece of it in the message' {
            $body = ('a' * 190) + ' ' + $script:Key + ' tail'
            Add-QwenTestBehavior @{ kind = 'body'; status = 400; body = $body; contentType = 'text/plain' }

            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri }

            $failures.Count | Should -Be 1
            Test-KeyIn (Get-ErrorText $failures[0]) | Should -BeFalse
        }

        It 'an upper-cased echo of a plain key is masked too' {
            Add-QwenTestBehavior @{ kind = 'body'; status = 400; body = "KEY: $($script:Key.ToUpperInvariant())"; contentType = 'text/plain' }

            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri }

            Test-KeyIn (Get-ErrorText $failures[0]) | Should -BeFalse
        }
    }

    Context 'Item 4: a rejected base URI never keeps the key in the ErrorRecord' {
        It 'refuses <Uri> with a redacted TargetObject and message' -ForEach @(
            @{ Uri = 'http://example.com/compatible-mode/v1?api_key=QWENPS-PLAIN-CANARY-8d41c07e2b9a4f63' }
            @{ Uri = 'dashscope.aliyuncs.com/compatible-mode/v1?api_key=QWENPS-PLAIN-CANARY-8d41c07e2b9a4f63' }
            @{ Uri = 'ftp://host/v1?key=sk-0123456789abcdef0123456789abcdef' }
        ) {
            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -BaseUri $Uri }

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Match '^(InvalidEndpoint|InsecureEndpoint),'
            $text = Get-ErrorText $failures[0]
            Test-KeyIn $text | Should -BeFalse
            $text | Should -Not -Match 'sk-0123456789'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context 'Item 5: no control characters from the service reach the host' {
        It 'strips escape sequences from an error message, and from the retry warning' {
            $evil = "boom `e]0;pwned`a`e[2J`e[31mred`e[0m`r`nSecond line"
            Add-QwenTestBehavior @{ kind = 'error'; status = 500; code = 'InternalError'; message = $evil } -Times 2

            $failures = @()
            try { $null = Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri -MaxRetry 1 -WarningVariable warnings 3>$null } catch { $failures = @($_) }

            $failures.Count | Should -Be 1
            $failures[0].Exception.Message | Should -Not -Match '[\x00-\x08\x0a-\x1f\x7f-\x9f]'
            $failures[0].Exception.Message | Should -Match 'boom'
            $warnings.Count | Should -Be 1
            [string]$warnings[0] | Should -Not -Match '[\x00-\x08\x0a-\x1f\x7f-\x9f]'
        }

        It 'strips escape sequences from the -Live text but keeps line breaks' {
            Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ contentChunks = @("one`e[2J", "`e]0;title`a two`nthree") } }

            $response = Invoke-QwenChat -Prompt 'x' -Live -BaseUri $script:BaseUri -InformationVariable live 6>$null

            # With 6> the text comes in whole lines (item 22): a record without NoNewLine ends its line.
            $shown = -join @($live | ForEach-Object { $_.MessageData.Message + $(if (-not $_.MessageData.NoNewLine) { "`n" }) })
            $shown | Should -Not -Match '[\x00-\x09\x0b-\x1f\x7f-\x9f]'
            $shown | Should -Match "two`nthree"
            $response.Content | Should -BeExactly "one`e[2J`e]0;title`a two`nthree"
        }
    }

    Context 'Item 6: Connect-Qwen in ForEach-Object -Parallel does not bleed into reused runspaces' {
        It 'iterations that never called Connect-Qwen send the environment key' {
            $null = Set-QwenTestServerOption @{ expectedApiKey = $null }
            try {
                $null = 1..12 | ForEach-Object -ThrottleLimit 2 -Parallel {
                    Import-Module $using:Manifest
                    if ($_ % 2 -eq 1) {
                        $null = Connect-Qwen -ApiKey (ConvertTo-SecureString "iteration-key-$_" -AsPlainText -Force) -BaseUri $using:BaseUri
                    }

                    Invoke-QwenChat -Prompt "p$_" -BaseUri $using:BaseUri
                }

                $requests = @(Get-QwenTestRequest -Path '/chat/completions')
                $requests.Count | Should -Be 12
                foreach ($request in $requests) {
                    $n = [int]($request.bodyJson.messages[-1].content.Substring(1))
                    $expected = if ($n % 2 -eq 1) { "Bearer iteration-key-$n" } else { "Bearer $($script:Key)" }
                    $request.headers.Authorization | Should -BeExactly $expected -Because "iteration $n"
                }
            }
            finally {
                $null = Set-QwenTestServerOption @{ expectedApiKey = $script:Key }
            }
        }
    }

    Context 'Item 7: -AdditionalParameter cycles and deep nesting are refused, not a crash' {
        It 'refuses a cyclic hashtable with InvalidArgument before any request' {
            $run = Invoke-Pwsh @'
$h = @{ a = 1 }; $h.self = $h
try { Invoke-QwenChat -Prompt x -AdditionalParameter $h -BaseUri $BaseUri -ErrorAction Stop; 'SENT' } catch { 'ERROR ' + $_.FullyQualifiedErrorId }
'@
            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -Match 'ERROR InvalidArgument,'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'refuses 100,000 nesting levels with InvalidArgument before any request' {
            $run = Invoke-Pwsh @'
$root = @{}; $node = $root
for ($i = 0; $i -lt 100000; $i++) { $next = @{}; $node['n'] = $next; $node = $next }
try { Invoke-QwenChat -Prompt x -AdditionalParameter $root -BaseUri $BaseUri -ErrorAction Stop; 'SENT' } catch { 'ERROR ' + $_.FullyQualifiedErrorId }
'@
            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -Match 'ERROR InvalidArgument,'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'still sends 32 levels of nesting' {
            $root = @{}; $node = $root
            for ($i = 0; $i -lt 30; $i++) { $next = @{}; $node['n'] = $next; $node = $next }
            $node['leaf'] = 'deep'

            $null = Invoke-QwenChat -Prompt 'x' -AdditionalParameter @{ nested = $root } -BaseUri $script:BaseUri

            (Get-QwenTestLastChatRequest).bodyText | Should -Match '"leaf":"deep"'
        }
    }

    Context 'Item 8: -MaxResponseSize caps the answer and keeps what arrived' {
        It 'has a default' {
            (Get-Command Invoke-QwenChat).Parameters.Keys | Should -Contain 'MaxResponseSize'
        }

        It 'ends a stream past the cap with ResponseTooLarge and the partial response within the cap' {
            Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ contentChunks = @(('a' * 40), ('b' * 40), ('c' * 40), ('d' * 40)) } }

            $chunks = [System.Collections.Generic.List[object]]::new()
            try { Invoke-QwenChat -Prompt 'x' -Stream -MaxResponseSize 100 -BaseUri $script:BaseUri -ResponseVariable partial -ErrorAction SilentlyContinue -ErrorVariable failures | ForEach-Object { $chunks.Add($_) } } catch { }

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'ResponseTooLarge,*'
            $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $partial.Incomplete | Should -BeTrue
            $partial.Content | Should -BeExactly (('a' * 40) + ('b' * 40))
            (-join ($chunks | Where-Object { $_ -is [QwenPS.QwenContentChunk] } | ForEach-Object Text)) | Should -BeExactly $partial.Content
        }
    }

    Context 'Item 10: Get-QwenFile stops on a listing that never ends' {
        It 'stops with an error when the service repeats the cursor' {
            $file = @{ id = 'file-fe-same'; object = 'file'; bytes = 3; created_at = 1700000000; filename = 'a.txt'; purpose = 'file-extract'; status = 'processed' }
            $page = @{ object = 'list'; has_more = $true; data = @($file) } | ConvertTo-Json -Depth 5 -Compress
            Add-QwenTestBehavior @{ kind = 'body'; status = 200; body = $page; contentType = 'application/json'; path = '/files'; method = 'GET' } -Times 50

            $files = [System.Collections.Generic.List[object]]::new()
            $failures = @()
            try { Get-QwenFile -BaseUri $script:BaseUri | ForEach-Object { $files.Add($_) } } catch { $failures = @($_) }

            $files.Count | Should -Be 1
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'UnexpectedResponse,*'
            @(Get-QwenTestRequest -Path '/files').Count | Should -Be 2
        }
    }

    Context 'Item 11 and 20: keys and ranges are checked before any request' {
        It 'refuses -<Name> <Value> at binding' -ForEach @(
            @{ Name = 'IdleTimeoutSec'; Value = 4300000 }
            @{ Name = 'TimeoutSec'; Value = 4300000 }
        ) {
            $parameters = @{ Prompt = 'x'; BaseUri = $script:BaseUri; $Name = $Value }
            { Invoke-QwenChat @parameters } | Should -Throw -ErrorId 'ParameterArgumentValidationError,QwenPS.Commands.InvokeQwenChatCommand'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'refuses a key with <What> as InvalidApiKey, at once, with no request' -ForEach @(
            @{ What = 'a line break'; Text = "sk-abc`ndef0123456789" }
            @{ What = 'a zero-width space'; Text = "sk-abc$([char]0x200B)def0123456789" }
            @{ What = 'an inner space'; Text = 'sk-abc def0123456789' }
        ) {
            $secure = ConvertTo-SecureString $Text -AsPlainText -Force
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -ApiKey $secure -BaseUri $script:BaseUri }

            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidApiKey,*'
            $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            $failures[0].Exception.Message | Should -Not -Match 'abc|def0'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'refuses an empty -ApiKey SecureString instead of falling back to the environment' {
            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -ApiKey ([securestring]::new()) -BaseUri $script:BaseUri }

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'MissingApiKey,*'
            $failures[0].Exception.Message | Should -Match '-ApiKey'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context 'Item 13: $r = Invoke-QwenChat gets the partial response of a cut stream' {
        It 'assigns the partial response (Incomplete) and reports the error' {
            Add-QwenTestBehavior @{ kind = 'stream'; cutAfterChunks = 3 }
            $r = 'old value'

            try { $r = Invoke-QwenChat -Prompt 'Hello there' -Model qwq-plus -BaseUri $script:BaseUri -ErrorAction SilentlyContinue -ErrorVariable failures } catch { }

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'StreamInterrupted,*'
            $r | Should -BeOfType ([QwenPS.QwenChatResponse])
            $r.Incomplete | Should -BeTrue
            $failures[0].Exception.PartialResponse.Reasoning | Should -BeExactly $r.Reasoning
        }
    }

    Context 'Item 16: piped input' {
        It 'takes a piped string as the user message' {
            $response = 'What is PowerShell?' | Invoke-QwenChat -BaseUri $script:BaseUri

            $response.Content | Should -BeExactly 'Answer to: What is PowerShell?'
        }

        It 'continues a conversation saved with Export-Clixml' {
            $first = Invoke-QwenChat -Prompt 'First' -BaseUri $script:BaseUri
            $path = Join-Path $TestDrive 'conversation.xml'
            $first | Export-Clixml -Path $path

            $second = Import-Clixml -Path $path | Invoke-QwenChat -Prompt 'Second' -BaseUri $script:BaseUri

            $messages = @((Get-QwenTestLastChatRequest).bodyJson.messages)
            ($messages | ForEach-Object { $_.role + ':' + $_.content }) -join '|' | Should -BeExactly 'user:First|assistant:Answer to: First|user:Second'
            $second.History.Count | Should -Be 4
        }

        It 'continues a conversation saved as JSON, and takes messages from JSON' {
            $first = Invoke-QwenChat -Prompt 'First' -BaseUri $script:BaseUri
            $json = $first | ConvertTo-Json -Depth 6

            $null = $json | ConvertFrom-Json | Invoke-QwenChat -Prompt 'Second' -BaseUri $script:BaseUri

            $messages = @((Get-QwenTestLastChatRequest).bodyJson.messages)
            ($messages | ForEach-Object { $_.role + ':' + $_.content }) -join '|' | Should -BeExactly 'user:First|assistant:Answer to: First|user:Second'

            $fromJson = New-QwenMessage -Role System -Content 'Be brief.' | ConvertTo-Json | ConvertFrom-Json
            $null = $fromJson | Invoke-QwenChat -Prompt 'Hi' -BaseUri $script:BaseUri
            $messages = @((Get-QwenTestLastChatRequest).bodyJson.messages)
            ($messages | ForEach-Object { $_.role + ':' + $_.content }) -join '|' | Should -BeExactly 'system:Be brief.|user:Hi'
        }

        It 'refuses the whole call when a piped object cannot be used' {
            $failures = Get-CallError { @((New-QwenMessage -Role User -Content 'kept'), (Get-Date)) | Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri }

            $failures.Count | Should -BeGreaterThan 0
            $failures[-1].FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'takes a piped $null as no history, so a loop can start with $conv = $null' {
            $conv = $null

            $conv = $conv | Invoke-QwenChat -Prompt 'Start' -BaseUri $script:BaseUri -ErrorAction Stop

            $conv.Content | Should -BeExactly 'Answer to: Start'
            @((Get-QwenTestLastChatRequest).bodyJson.messages).Count | Should -Be 1
        }
    }

    Context 'Item 17: -Debug shows the request body without prompting' {
        It 'writes debug records in a non-interactive session' {
            $run = Invoke-Pwsh "Invoke-QwenChat -Prompt 'debug me' -BaseUri `$BaseUri -Debug 5>&1 | ForEach-Object { if (`$_ -is [System.Management.Automation.DebugRecord]) { 'DEBUG ' + `$_.Message } else { 'OUT ' + `$_.Content } }"

            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -Not -Match 'NonInteractive|Continue with this operation'
            $run.Output | Should -Match 'DEBUG Request body: .*debug me'
            $run.Output | Should -Match 'OUT Answer to: debug me'
        }
    }

    Context 'Item 18: the next step fits the error' {
        It 'a wrong key points at the key and the region, not at support' {
            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -ApiKey (ConvertTo-SecureString 'sk-wrong0000000000' -AsPlainText -Force) -BaseUri $script:BaseUri }

            $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidApiKey,*'
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -Match 'support'
            $failures[0].ErrorDetails.RecommendedAction | Should -Match 'key'
        }

        It 'an unknown model points at the model name' {
            Add-QwenTestBehavior @{ kind = 'error'; status = 404; code = 'model_not_found'; message = 'The model `qwen-nope` does not exist or you do not have access to it' }

            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -Model 'qwen-nope' -BaseUri $script:BaseUri }

            $failures[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotFound,*'
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -Match 'support'
            $failures[0].ErrorDetails.RecommendedAction | Should -Match 'model'
            $failures[0].Exception.Message | Should -Match 'access to it\. '
        }

        It 'a server error still says to quote the request id' {
            Add-QwenTestBehavior @{ kind = 'status'; status = 500 } -Times 2

            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -MaxRetry 0 -BaseUri $script:BaseUri }

            $failures[0].ErrorDetails.RecommendedAction | Should -Match 'request id'
        }
    }

    Context 'Item 19: a Retry-After too long to wait is named' {
        It 'says the service asked for 120 s' {
            Add-QwenTestBehavior @{ kind = 'error'; status = 429; code = 'limit_requests'; message = 'Requests rate limit exceeded, please try again later.'; headers = @{ 'Retry-After' = '120' } }
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri }

            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'RateLimited,*'
            $failures[0].Exception.Message | Should -Match '120 s'
        }
    }

    Context 'Item 23: base URI mistakes are explained' {
        It 'refuses a base URI with /chat/completions pasted on, naming the base to use' {
            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -BaseUri "$($script:BaseUri)/chat/completions" }

            $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEndpoint,*'
            $failures[0].Exception.Message | Should -Match ([regex]::Escape($script:BaseUri))
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'explains a 404 from a base URI without /compatible-mode/v1' {
            $root = $script:Server.RootUri.TrimEnd('/')

            $failures = Get-CallError { Invoke-QwenChat -Prompt 'x' -BaseUri $root }

            $failures[0].Exception.Message | Should -Match '/compatible-mode/v1'
        }
    }

    Context 'Item 24: records export as users expect' {
        It 'a message exported with ConvertTo-Json, the role a number or (-EnumsAsStrings) a name, pipes back in' {
            foreach ($json in @((New-QwenMessage -Role Assistant -Content 'Earlier' | ConvertTo-Json), (New-QwenMessage -Role Assistant -Content 'Earlier' | ConvertTo-Json -EnumsAsStrings))) {
                $null = $json | ConvertFrom-Json | Invoke-QwenChat -Prompt 'Next' -BaseUri $script:BaseUri

                $messages = @((Get-QwenTestLastChatRequest).bodyJson.messages)
                ($messages | ForEach-Object { $_.role + ':' + $_.content }) -join '|' | Should -BeExactly 'assistant:Earlier|user:Next'
            }
        }

        It 'ConvertTo-Json writes roles, chunk kinds, part kinds and thinking modes as names, in any PowerShell' {
            (New-QwenMessage -Role Assistant -Content 'Earlier' | ConvertTo-Json | ConvertFrom-Json).Role | Should -BeExactly 'Assistant'
            (Get-QwenModel -Name qwen3-max | ConvertTo-Json | ConvertFrom-Json).Thinking | Should -BeExactly 'OffByDefault'

            Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ reasoningChunks = @('Hmm'); contentChunks = @('Yes') } }
            $chunks = @(Invoke-QwenChat -Prompt 'Think' -Model qwen-plus -EnableThinking -Stream -BaseUri $script:BaseUri | Where-Object { $_ -is [QwenPS.QwenStreamChunk] })
            ($chunks | ConvertTo-Json | ConvertFrom-Json | ForEach-Object { $_.Kind + ':' + $_.Text }) -join '|' | Should -BeExactly 'Reasoning:Hmm|Content:Yes'

            $image = New-QwenMessage -Role User -Content 'What is this?' -Image 'https://example.com/cat.png'
            ($image | ConvertTo-Json -Depth 4 | ConvertFrom-Json).Parts.Kind -join ',' | Should -BeExactly 'Image,Text'
            ($image | ConvertTo-Csv | ConvertFrom-Csv).Role | Should -BeExactly 'User'
        }

        It 'Export-Csv writes usage as numbers, not a type name' {
            $response = Invoke-QwenChat -Prompt 'Hi' -BaseUri $script:BaseUri
            $csv = $response | ConvertTo-Csv | ConvertFrom-Csv

            $csv.Usage | Should -Not -Match 'QwenPS\.'
            $csv.Content | Should -BeExactly 'Answer to: Hi'
            $csv.History | Should -BeExactly 'user: Hi; assistant: Answer to: Hi'
            $csv.ToolCalls | Should -BeExactly ''
            $csv.Message | Should -BeExactly 'assistant: Answer to: Hi'
        }

        It 'Export-Csv writes tool calls as text' {
            Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ toolCalls = @(@{ index = 0; id = 'call_1'; name = 'get_weather'; argumentFragments = @('{"city":', '"Hangzhou"}') }) } }
            $response = Invoke-QwenChat -Prompt 'Weather?' -BaseUri $script:BaseUri
            $csv = $response | ConvertTo-Csv | ConvertFrom-Csv

            $csv.ToolCalls | Should -BeExactly 'get_weather({"city":"Hangzhou"})'
            ($response.Message | ConvertTo-Csv | ConvertFrom-Csv).ToolCalls | Should -BeExactly 'get_weather({"city":"Hangzhou"})'
        }
    }
    Context 'Item 21: -Live does not show the answer twice at the console' {
        It 'the response written with -Live has a console view without the answer; without -Live it shows it' {
            $live = Invoke-QwenChat -Prompt 'Shown once' -Live -BaseUri $script:BaseUri 6>$null
            $plain = Invoke-QwenChat -Prompt 'Shown once' -BaseUri $script:BaseUri

            ($live | Out-String) | Should -Not -Match 'Answer to: Shown once'
            ($live | Out-String) | Should -Match 'characters, shown above'
            ($plain | Out-String) | Should -Match 'Answer to: Shown once'
            $live.Content | Should -BeExactly 'Answer to: Shown once'
            $live | Should -BeOfType ([QwenPS.QwenChatResponse])
            $null = $live | Invoke-QwenChat -Prompt 'Again' -BaseUri $script:BaseUri
            @((Get-QwenTestLastChatRequest).bodyJson.messages).Count | Should -Be 3
        }
    }

    Context 'Item 21: -Stream at the console shows text, not a table' {
        It 'each fragment shows its whole text on its line, reasoning marked, with no table header' {
            Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ reasoningChunks = @('Weigh it'); contentChunks = @('Two', " lines`nhere") } }

            $records = @(Invoke-QwenChat -Prompt 'x' -Model qwen-plus -EnableThinking -Stream -BaseUri $script:BaseUri | Where-Object { $_ -is [QwenPS.QwenStreamChunk] })
            $shown = @(($records | Out-String -Width 200) -split '\r?\n' | Where-Object { $_ -ne '' })

            $shown | Should -Be @('(reasoning) Weigh it', 'Two', ' lines', 'here')
            $records.Count | Should -Be 3
        }
    }

    Context 'Item 22: -Live in a host that keeps records as lines (runbooks, jobs, hosted runspaces)' {
        It 'writes whole lines, not fragments' {
            Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ contentChunks = @('First li', 'ne of the', ' answer', "`nSecond ", 'line') } }
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$($script:Manifest)'; `$env:DASHSCOPE_API_KEY = '$($script:Key)'; `$null = Invoke-QwenChat -Prompt x -Live -BaseUri '$($script:BaseUri)'")
                $null = $ps.Invoke()
                $ps.Streams.Error.Count | Should -Be 0 -Because ($ps.Streams.Error | Out-String)
                $texts = @($ps.Streams.Information | ForEach-Object { $_.MessageData.Message })
                @($ps.Streams.Information | Where-Object { $_.MessageData.NoNewLine }).Count | Should -Be 0
            }
            finally {
                $ps.Dispose()
            }

            # Each record is one line without its line break, as Write-Host 'line' writes it.
            $texts | Should -Be @('First line of the answer', 'Second line')
        }
    }

    Context 'Item 22: -Live at an interactive console whose text is also recorded' {
        # A console (a pseudo-terminal from util-linux's script, so the child's output is not redirected) shows -Live
        # in fragments; a transcript and 6> keep each piece as a line, so there -Live writes whole lines.
        It 'Start-Transcript and 6> get whole lines of the answer' -Skip:(-not (Get-Command -Name script -CommandType Application -ErrorAction SilentlyContinue)) {
            foreach ($i in 1..2) {
                Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ contentChunks = @('First li', 'ne of the', ' answer', "`nSecond ", 'line') } }
            }
            $transcript = Join-Path $TestDrive 'transcript.txt'
            $redirected = Join-Path $TestDrive 'information.txt'
            $child = Join-Path $TestDrive 'console.ps1'
            @(
                "Import-Module '$($script:Manifest)'"
                "`$env:DASHSCOPE_API_KEY = '$($script:Key)'"
                "if ([Console]::IsOutputRedirected) { throw 'the child has no console' }"
                "`$null = Start-Transcript -Path '$transcript'"
                "`$null = Invoke-QwenChat -Prompt x -Live -BaseUri '$($script:BaseUri)'"
                "`$null = Stop-Transcript"
                "`$null = Invoke-QwenChat -Prompt y -Live -BaseUri '$($script:BaseUri)' 6> '$redirected'"
            ) | Set-Content -Path $child
            $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source

            $console = & script -qec "'$dotnet' pwsh -NoProfile -File '$child'" /dev/null 2>&1 | Out-String

            $LASTEXITCODE | Should -Be 0 -Because $console
            $console | Should -Match 'First line of the answer'
            $logged = @(Get-Content -Path $transcript)
            $logged | Should -Contain 'First line of the answer'
            $logged | Should -Contain 'Second line'
            $logged | Should -Not -Contain 'First li'
            @(Get-Content -Path $redirected) | Should -Be @('First line of the answer', 'Second line')
        }
    }

    Context 'Item 27: documentation examples run as written' {
        BeforeAll {
            # The code block under a heading of a help page, run against the local server.
            function Get-DocExample {
                param([string]$Page, [string]$Heading)

                $text = Get-Content -Raw -Path (Join-Path $PSScriptRoot '..' 'docs' 'en-US' $Page)
                $at = $text.IndexOf($Heading)
                $at | Should -BeGreaterOrEqual 0 -Because "$Page has '$Heading'"
                $start = $text.IndexOf('```powershell', $at) + '```powershell'.Length
                $text.Substring($start, $text.IndexOf('```', $start) - $start)
            }
        }

        BeforeEach {
            $PSDefaultParameterValues['Invoke-QwenChat:BaseUri'] = $script:BaseUri
        }

        AfterEach {
            $PSDefaultParameterValues.Remove('Invoke-QwenChat:BaseUri')
        }

        It 'New-QwenMessage example 5 answers the tool call it asked for' {
            Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ toolCalls = @(@{ index = 0; id = 'call_1'; name = 'get_weather'; argumentFragments = @('{"city":"Hangzhou"}') }) } }
            $code = Get-DocExample -Page 'New-QwenMessage.md' -Heading '### Example 5'

            $null = & ([scriptblock]::Create($code))

            $requests = @(Get-QwenTestRequest -Path '/chat/completions')
            $requests.Count | Should -Be 2
            $last = @($requests[1].bodyJson.messages)
            ($last | ForEach-Object role) -join ',' | Should -BeExactly 'user,assistant,tool'
            $last[2].tool_call_id | Should -BeExactly 'call_1'
            $requests[1].bodyJson.tools[0].function.name | Should -BeExactly 'get_weather'
        }

        It 'the about_QwenPS thinking example thinks in both turns' {
            $code = Get-DocExample -Page 'about_QwenPS.md' -Heading 'Watch a thinking model work'

            $null = & ([scriptblock]::Create($code)) 6>$null

            $requests = @(Get-QwenTestRequest -Path '/chat/completions')
            $requests.Count | Should -Be 2
            $requests | ForEach-Object { $_.bodyJson.enable_thinking | Should -BeTrue }
        }

        It 'Connect-Qwen example 4 imports the module into each -Parallel runspace' {
            $code = Get-DocExample -Page 'Connect-Qwen.md' -Heading '### Example 4'

            $code | Should -Match 'Import-Module -Name \$using:module'
            $tickets = Join-Path $TestDrive 'tickets'
            $null = New-Item -ItemType Directory -Path $tickets
            'printer on fire' | Set-Content -Path (Join-Path $tickets 'a.txt')
            $runnable = $code.Replace("Read-Host -AsSecureString 'DashScope API key'", "ConvertTo-SecureString '$($script:Key)' -AsPlainText -Force").Replace('./tickets', $tickets).Replace('-Region Singapore', "-BaseUri '$($script:BaseUri)'")

            $rows = @(& ([scriptblock]::Create($runnable)))

            $rows.Count | Should -Be 1
            $rows[0].Label | Should -Match 'Answer to: Classify'
        }
    }
    Context 'Item 25: Remove-QwenFile -WhatIf and -Confirm name each file; -FileId completes stored ids' {
        BeforeEach {
            $path = Join-Path $TestDrive 'quarterly-report.txt'
            'numbers' | Set-Content -Path $path
            $script:Stored = Add-QwenFileReference -LiteralPath $path -BaseUri $script:BaseUri
            $script:StoredId = ($script:Stored.Content -replace '^fileid://', '')
        }

        It 'shows the id and the file name of each file a filter matches' {
            $run = Invoke-Pwsh "Remove-QwenFile -FileName 'quarterly*' -BaseUri `$BaseUri -WhatIf"

            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -Match "What if: .*$($script:StoredId) \(quarterly-report\.txt\)"
            @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 0
        }

        It 'names a piped QwenFileInfo by its file name, with no request before the delete' {
            $reads = @(Get-QwenTestRequest -Method GET | Where-Object { $_.path -like '*/files/file-*' }).Count
            $run = Invoke-Pwsh "Get-QwenFile -BaseUri `$BaseUri | Remove-QwenFile -BaseUri `$BaseUri -WhatIf"

            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -Match "What if: .*$($script:StoredId) \(quarterly-report\.txt\)"
            @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 0
            @(Get-QwenTestRequest -Method GET | Where-Object { $_.path -like '*/files/file-*' }).Count | Should -Be $reads
        }

        It 'looks up the name of a bare id when it will be shown, and only then' {
            $run = Invoke-Pwsh "Remove-QwenFile -FileId '$($script:StoredId)' -BaseUri `$BaseUri -WhatIf"

            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -Match "What if: .*$($script:StoredId) \(quarterly-report\.txt\)"
            @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 0

            $lookups = @(Get-QwenTestRequest -Method GET | Where-Object { $_.path -like "*/files/$($script:StoredId)" }).Count
            Remove-QwenFile -FileId $script:StoredId -BaseUri $script:BaseUri -Confirm:$false
            @(Get-QwenTestRequest -Method GET | Where-Object { $_.path -like "*/files/$($script:StoredId)" }).Count | Should -Be $lookups
            @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 1
        }

        It 'without a key, -WhatIf still names the id, sends nothing and needs no key' {
            $before = @(Get-QwenTestRequest).Count
            $run = Invoke-Pwsh "`$env:DASHSCOPE_API_KEY = `$null; Remove-QwenFile -FileId 'file-fe-123' -BaseUri `$BaseUri -WhatIf"

            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -Match 'What if: .*"file-fe-123"'
            @(Get-QwenTestRequest).Count | Should -Be $before
        }

        It 'completes -FileId with stored ids, matching an id prefix or a part of the name, for every cmdlet that takes one' {
            foreach ($command in 'Remove-QwenFile', 'Get-QwenFile', 'Save-QwenFileContent', 'Add-QwenFileReference') {
                foreach ($word in 'file-', 'REPORT') {
                    $line = "$command -BaseUri '$($script:BaseUri)' -FileId $word"
                    $matches = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)

                    $matches.CompletionText | Should -Be @($script:StoredId) -Because "$command -FileId $word"
                    $matches[0].ListItemText | Should -BeExactly "$($script:StoredId) (quarterly-report.txt)"
                }
            }
        }

        It 'completes with the key and endpoint Connect-Qwen set, with nothing typed but -FileId' {
            $saved = $env:DASHSCOPE_API_KEY
            try {
                $env:DASHSCOPE_API_KEY = $null
                Connect-Qwen -ApiKey (ConvertTo-SecureString $script:Key -AsPlainText -Force) -BaseUri $script:BaseUri
                $line = 'Save-QwenFileContent -FileId '

                $matches = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)

                $matches.CompletionText | Should -Be @($script:StoredId)
            }
            finally {
                Disconnect-Qwen
                $env:DASHSCOPE_API_KEY = $saved
            }
        }

        It 'completes nothing, and no local paths, when no stored file matches or there is no key' {
            $line = "Remove-QwenFile -BaseUri '$($script:BaseUri)' -FileId zzz"
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches).Count | Should -Be 0

            $saved = $env:DASHSCOPE_API_KEY
            try {
                $env:DASHSCOPE_API_KEY = $null
                $line = "Remove-QwenFile -BaseUri '$($script:BaseUri)' -FileId "
                @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches).Count | Should -Be 0
            }
            finally {
                $env:DASHSCOPE_API_KEY = $saved
            }
        }
    }

}
