# Copyright (c) QwenPS contributors. MIT License.
# Batch inference end to end against the local test server: New-QwenChatRequest, Start-QwenBatch, Get-QwenBatch,
# Wait-QwenBatch, Receive-QwenBatch and Stop-QwenBatch; the request file the server received, the results mapped back
# to their inputs, the limits checked before any upload, a restart between Start and Receive, cancellation.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Key = 'sk-pester-fake-0000000000'
    $script:Session = Start-QwenTestSession -ApiKey $script:Key
    $script:BaseUri = $script:Session.BaseUri
    $script:DataDir = Join-Path $TestDrive 'qwenps-data'
    $script:SavedDataDir = Set-QwenTestEnvironmentVariable -Name 'QWENPS_DATA_HOME' -Value $script:DataDir
    $script:RepoRoot = Get-QwenTestRepositoryRoot
    $executable = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    $script:Pwsh = Join-Path $PSHOME $executable

    # The JSONL file the server stored for an upload, one parsed object per line.
    function Get-UploadedLine {
        param([Parameter(Mandatory)][string]$FileId)

        $response = Invoke-WebRequest -Uri "$script:BaseUri/files/$FileId/content" -Headers @{ Authorization = "Bearer $script:Key" } -NoProxy
        $text = [System.Text.Encoding]::UTF8.GetString($response.RawContentStream.ToArray())
        $text.EndsWith("`n") | Should -BeTrue -Because 'every line, the last one included, ends with a line feed'
        $text.TrimEnd("`n") -split "`n" | ForEach-Object { $_ | ConvertFrom-Json -Depth 20 }
    }

    function Set-BatchServer {
        param([Parameter(Mandatory)][hashtable]$Setting)

        Invoke-QwenTestControl -Method Post -Endpoint 'batches' -Body $Setting
    }

    function Get-ServerBatch {
        @((Invoke-QwenTestControl -Endpoint 'batches').batches)
    }

    # Runs a script in a new pwsh that imports the module from the repository and sees the same server and data folder.
    function Invoke-FreshPwsh {
        param([Parameter(Mandatory)][string]$Script)

        $path = Join-Path $TestDrive ('fresh-{0}.ps1' -f [guid]::NewGuid().ToString('N'))
        $prelude = "`$ErrorActionPreference = 'Stop'`nImport-Module '$(Join-Path $script:RepoRoot 'QwenPS.psd1')'`n"
        Set-Content -LiteralPath $path -Value ($prelude + $Script) -Encoding utf8
        $output = & $script:Pwsh -NoProfile -NonInteractive -File $path 2>&1
        $exitCode = $LASTEXITCODE
        $text = ($output | ForEach-Object { [string]$_ }) -join "`n"
        if ($exitCode -ne 0) {
            throw "The fresh pwsh failed (exit code $exitCode):`n$text"
        }

        $text
    }

    function New-Ticket {
        param([int]$Count, [int]$FailEvery = 0)

        foreach ($i in 1..$Count) {
            $body = "Printer $i shows error E-$($i % 7)."
            if ($FailEvery -gt 0 -and $i % $FailEvery -eq 0) {
                $body += ' [fail]'
            }

            [pscustomobject]@{ TicketId = 'T-{0:0000}' -f $i; Body = $body; Owner = "owner$i" }
        }
    }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        $null = Set-QwenTestEnvironmentVariable -Name 'QWENPS_DATA_HOME' -Value $script:SavedDataDir
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Start-QwenBatch' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'writes one request line per string, with the system prompt and enable_thinking set explicitly, and uploads it with purpose batch' {
        $batch = 'Hello', '你好' | Start-QwenBatch -Model qwen-plus -SystemPrompt 'Be brief.' -Name 'greetings' -Description 'two' -BaseUri $script:BaseUri

        $batch | Should -BeOfType ([QwenPS.QwenBatch])
        $batch.Id | Should -Match '^batch_'
        $batch.Status | Should -BeExactly 'Validating'
        $batch.Model | Should -BeExactly 'qwen-plus'
        $batch.Name | Should -BeExactly 'greetings'
        $batch.Endpoint | Should -BeExactly '/v1/chat/completions'
        Test-Path -LiteralPath $batch.MappingPath | Should -BeTrue
        $batch.MappingPath | Should -BeLike "$script:DataDir*"

        $upload = @(Get-QwenTestRequest -Method POST -Path '/files')
        $upload.Count | Should -Be 1
        $upload[0].upload.purpose | Should -BeExactly 'batch'
        $upload[0].upload.fileName | Should -BeLike '*.jsonl'
        $create = @(Get-QwenTestRequest -Method POST -Path '/batches')
        $create.Count | Should -Be 1
        $create[0].bodyJson.input_file_id | Should -BeExactly $batch.InputFileId
        $create[0].bodyJson.endpoint | Should -BeExactly '/v1/chat/completions'
        $create[0].bodyJson.completion_window | Should -BeExactly '24h'
        $create[0].bodyJson.metadata.ds_name | Should -BeExactly 'greetings'
        $create[0].bodyJson.metadata.ds_description | Should -BeExactly 'two'

        $lines = @(Get-UploadedLine -FileId $batch.InputFileId)
        $lines.Count | Should -Be 2
        $lines[0].custom_id | Should -BeExactly 'qwenps-1'
        $lines[1].custom_id | Should -BeExactly 'qwenps-2'
        $lines[0].method | Should -BeExactly 'POST'
        $lines[0].url | Should -BeExactly '/v1/chat/completions'
        $lines[0].body.model | Should -BeExactly 'qwen-plus'
        $lines[0].body.enable_thinking | Should -BeFalse
        $lines[0].body.PSObject.Properties.Name | Should -Contain 'enable_thinking'
        $lines[0].body.messages[0].role | Should -BeExactly 'system'
        $lines[0].body.messages[0].content | Should -BeExactly 'Be brief.'
        $lines[1].body.messages[1].role | Should -BeExactly 'user'
        $lines[1].body.messages[1].content | Should -BeExactly '你好'
        $lines[0].body.PSObject.Properties.Name | Should -Not -Contain 'stream'
    }

    It 'takes the prompt and the custom id from object properties, and the chat parameters into every body' {
        $batch = New-Ticket -Count 3 | Start-QwenBatch -PromptProperty Body -CustomIdProperty TicketId -Temperature 0.2 -MaxTokens 64 -EnableThinking -ThinkingBudget 500 -BaseUri $script:BaseUri

        $lines = @(Get-UploadedLine -FileId $batch.InputFileId)
        ($lines.custom_id -join ',') | Should -BeExactly 'T-0001,T-0002,T-0003'
        $lines[2].body.messages[-1].content | Should -BeExactly 'Printer 3 shows error E-3.'
        foreach ($line in $lines) {
            $line.body.temperature | Should -Be 0.2
            $line.body.max_tokens | Should -Be 64
            $line.body.enable_thinking | Should -BeTrue
            $line.body.thinking_budget | Should -Be 500
        }
    }

    It 'reads each piped text file as one prompt, BOM or not' {
        $folder = Join-Path $TestDrive 'docs'
        $null = New-Item -ItemType Directory -Path $folder -Force
        [System.IO.File]::WriteAllText((Join-Path $folder 'a.txt'), "第一份报告`nline 2", [System.Text.UTF8Encoding]::new($true))
        [System.IO.File]::WriteAllText((Join-Path $folder 'b.md'), '# Second', [System.Text.UTF8Encoding]::new($false))

        $batch = Get-ChildItem -LiteralPath $folder -File | Sort-Object Name |
            Start-QwenBatch -SystemPrompt 'Summarise the document.' -CustomIdProperty Name -BaseUri $script:BaseUri

        $lines = @(Get-UploadedLine -FileId $batch.InputFileId)
        ($lines.custom_id -join ',') | Should -BeExactly 'a.txt,b.md'
        $lines[0].body.messages[1].content | Should -BeExactly "第一份报告`nline 2"
        $lines[1].body.messages[1].content | Should -BeExactly '# Second'
    }

    It 'sends each New-QwenChatRequest as its whole conversation, and ready hashtable bodies as they are' {
        $requests = @(
            New-QwenMessage -Role system -Content 'You translate.' | New-QwenMessage -Role user -Content 'Hi' | New-QwenChatRequest -CustomId 'conv-1'
            New-QwenChatRequest -Prompt 'Bye' -SystemPrompt 'You translate to French.'
        )
        $chat = $requests | Start-QwenBatch -BaseUri $script:BaseUri
        $lines = @(Get-UploadedLine -FileId $chat.InputFileId)
        ($lines.custom_id -join ',') | Should -BeExactly 'conv-1,qwenps-2'
        ($lines[0].body.messages.role -join ',') | Should -BeExactly 'system,user'
        $lines[1].body.messages[1].content | Should -BeExactly 'Bye'

        $bodies = @(
            @{ messages = @(@{ role = 'user'; content = 'raw one' }); top_p = 0.5 }
            @{ custom_id = 'mine'; body = @{ model = 'qwen-plus'; messages = @(@{ role = 'user'; content = 'raw two' }) } }
        )
        $raw = $bodies | Start-QwenBatch -Model qwen-plus -BaseUri $script:BaseUri
        $lines = @(Get-UploadedLine -FileId $raw.InputFileId)
        ($lines.custom_id -join ',') | Should -BeExactly 'qwenps-1,mine'
        $lines[0].body.model | Should -BeExactly 'qwen-plus'
        $lines[0].body.top_p | Should -Be 0.5
        $lines[1].body.messages[0].content | Should -BeExactly 'raw two'
    }

    It 'says once that a ready body does not take the chat parameters, and sends the prompts with them' {
        $inputs = @(
            'a prompt'
            @{ messages = @(@{ role = 'user'; content = 'raw one' }) }
            @{ messages = @(@{ role = 'user'; content = 'raw two' }) }
        )

        $batch = $inputs | Start-QwenBatch -Model qwen-plus -Temperature 0.2 -SystemPrompt 'Be brief.' -BaseUri $script:BaseUri -WarningVariable warned 3>$null

        @($warned).Count | Should -Be 1
        [string]$warned[0] | Should -Match '-Temperature, -SystemPrompt'
        $lines = @(Get-UploadedLine -FileId $batch.InputFileId)
        $lines[0].body.temperature | Should -Be 0.2
        $lines[1].body.PSObject.Properties.Name | Should -Not -Contain 'temperature'
        @($lines[1].body.messages).Count | Should -Be 1
    }

    It 'builds embedding requests with -Endpoint Embeddings and test requests for batch-test-model' {
        $embed = 'alpha', 'beta' | Start-QwenBatch -Endpoint Embeddings -Model text-embedding-v4 -BaseUri $script:BaseUri
        $embed.Endpoint | Should -BeExactly '/v1/embeddings'
        $lines = @(Get-UploadedLine -FileId $embed.InputFileId)
        $lines[0].url | Should -BeExactly '/v1/embeddings'
        $lines[1].body.input | Should -BeExactly 'beta'
        $lines[1].body.PSObject.Properties.Name | Should -Not -Contain 'messages'

        $test = 'x' | Start-QwenBatch -Model batch-test-model -BaseUri $script:BaseUri
        $test.Endpoint | Should -BeExactly '/v1/chat/ds-test'
        (@(Get-UploadedLine -FileId $test.InputFileId))[0].url | Should -BeExactly '/v1/chat/ds-test'
    }

    It 'takes a list given to -InputObject as one input per item, and -CompletionWindow in days' {
        $batch = Start-QwenBatch -InputObject @('one', 'two', 'three') -CompletionWindow 14d -BaseUri $script:BaseUri

        @(Get-UploadedLine -FileId $batch.InputFileId).Count | Should -Be 3
        (Get-QwenTestRequest -Method POST -Path '/batches')[0].bodyJson.completion_window | Should -BeExactly '14d'
    }

    It 'shows the request count and the model with -WhatIf, and sends nothing' {
        $text = Invoke-FreshPwsh -Script @"
`$env:DASHSCOPE_API_KEY = '$script:Key'
`$env:QWENPS_DATA_HOME = '$script:DataDir'
1..3 | ForEach-Object { "prompt `$_" } | Start-QwenBatch -Model qwen-max -BaseUri '$script:BaseUri' -WhatIf
"@

        $text | Should -Match 'What if: .*3 requests'
        $text | Should -Match 'qwen-max'
        @(Get-QwenTestRequest).Count | Should -Be 0
    }

    Context 'every limit is checked before anything is uploaded' {
        BeforeEach {
            $script:MappingsBefore = @(Get-ChildItem -LiteralPath (Join-Path $script:DataDir 'batches') -ErrorAction SilentlyContinue).Count
        }

        AfterEach {
            @(Get-QwenTestRequest).Count | Should -Be 0 -Because 'a refused batch sends no request at all'
            @(Get-ChildItem -LiteralPath (Join-Path $script:DataDir 'batches') -ErrorAction SilentlyContinue).Count | Should -Be $script:MappingsBefore
        }

        It 'refuses a duplicate custom id' {
            { New-Ticket -Count 3 | ForEach-Object { $_.TicketId = 'same'; $_ } |
                    Start-QwenBatch -PromptProperty Body -CustomIdProperty TicketId -BaseUri $script:BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'BatchDuplicateCustomId*'
        }

        It 'refuses a second model among ready bodies' {
            $bodies = @(
                @{ model = 'qwen-plus'; messages = @(@{ role = 'user'; content = 'a' }) }
                @{ model = 'qwen-max'; messages = @(@{ role = 'user'; content = 'b' }) }
            )
            { $bodies | Start-QwenBatch -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'BatchModelMismatch*'
        }

        It 'refuses more than 50,000 requests' {
            { 1..50001 | Start-QwenBatch -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'BatchLimitExceeded*'
        }

        It 'refuses more than 100 requests for batch-test-model' {
            { 1..101 | ForEach-Object { "p$_" } | Start-QwenBatch -Model batch-test-model -BaseUri $script:BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'BatchLimitExceeded*'
        }

        It 'refuses a request line over 6 MB' {
            { 'short', ('x' * (6MB + 1)) | Start-QwenBatch -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'BatchLimitExceeded*'
        }

        It 'refuses chat parameters for an embeddings batch' {
            { 'a' | Start-QwenBatch -Endpoint Embeddings -Model text-embedding-v4 -Temperature 0.5 -BaseUri $script:BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidArgument*'
        }

        It 'refuses a completion window DashScope does not accept' {
            { 'a' | Start-QwenBatch -CompletionWindow 15d -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument*'
        }

        It 'refuses JSON output with -EnableThinking or with a model that always thinks' {
            { 'a' | Start-QwenBatch -AsJson -EnableThinking -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'JsonModeWithThinking*'
            { 'a' | Start-QwenBatch -JsonSchema @{ type = 'object'; properties = @{ a = @{ type = 'string' } } } -Model qwq-plus -BaseUri $script:BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'JsonModeWithThinking*'
        }

        It 'refuses JSON output for an embeddings batch, and for a ready body, which is sent as it is' {
            { 'a' | Start-QwenBatch -Endpoint Embeddings -Model text-embedding-v4 -AsJson -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument*'
            { @{ messages = @(@{ role = 'user'; content = 'a' }) } | Start-QwenBatch -AsJson -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'BatchInputInvalid*'
        }

        It 'refuses a document that is not text, as Add-QwenDocument does' {
            $pdf = Join-Path $TestDrive 'report.pdf'
            Set-Content -LiteralPath $pdf -Value '%PDF-1.7'
            { Get-Item -LiteralPath $pdf | Start-QwenBatch -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'DocumentNotText*'
            $latin1 = Join-Path $TestDrive 'latin1.txt'
            [System.IO.File]::WriteAllBytes($latin1, [byte[]](0x63, 0x61, 0x66, 0xE9))
            { Get-Item -LiteralPath $latin1 | Start-QwenBatch -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'DocumentNotText*'
        }

        It 'refuses an object without the prompt property' {
            { [pscustomobject]@{ Title = 'no body' } | Start-QwenBatch -PromptProperty Body -BaseUri $script:BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'BatchInputInvalid*'
        }
    }
}

Describe 'The mapping files: owner-only, pruned, removable' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'creates the mapping file readable by its owner only, in a folder only its owner can open' -Skip:$IsWindows {
        $batch = 'secret' | Start-QwenBatch -BaseUri $script:BaseUri

        (Get-Item -LiteralPath $batch.MappingPath).UnixMode | Should -BeExactly '-rw-------'
        (Get-Item -LiteralPath (Split-Path -Parent $batch.MappingPath)).UnixMode | Should -BeExactly 'drwx------'
    }

    It 'deletes mapping files older than 30 days when a batch is started' {
        $folder = Join-Path $script:DataDir 'batches'
        $null = New-Item -ItemType Directory -Path $folder -Force
        $old = Join-Path $folder 'batch_from_last_year.jsonl'
        Set-Content -LiteralPath $old -Value '{}'
        (Get-Item -LiteralPath $old).LastWriteTimeUtc = [datetime]::UtcNow.AddDays(-31)

        $verbose = 'a' | Start-QwenBatch -BaseUri $script:BaseUri -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        Test-Path -LiteralPath $old | Should -BeFalse
        $verbose.Message | Should -Contain "Deleted 1 batch mapping file(s) older than 30 days from $($folder): DashScope no longer returns their batches."
    }

    It 'Remove-QwenBatchMapping deletes a piped batch''s mapping after confirmation, and Receive-QwenBatch then works by custom id only' {
        $batch = 'first', 'second' | Start-QwenBatch -BaseUri $script:BaseUri | Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri
        $path = $batch.MappingPath

        $batch | Remove-QwenBatchMapping -WhatIf
        Test-Path -LiteralPath $path | Should -BeTrue

        $output = @($batch | Remove-QwenBatchMapping -Confirm:$false -Verbose 4>&1)
        Test-Path -LiteralPath $path | Should -BeFalse
        @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0 -Because 'it writes no output'
        $output.Message | Should -Contain "Deleted $path; Receive-QwenBatch returns the results of $($batch.Id) by custom id only from now on."
        @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 0 -Because 'it is local only'

        $results = @(Receive-QwenBatch -BatchId $batch.Id -BaseUri $script:BaseUri -WarningVariable warnings -WarningAction SilentlyContinue)
        $results.Count | Should -Be 2
        foreach ($result in $results) { $result.Input | Should -BeNullOrEmpty; $result.Index | Should -BeNullOrEmpty }
        $warnings[0].Message | Should -BeLike 'No mapping file for*'

        Remove-QwenBatchMapping -BatchId $batch.Id, 'batch_unknown' -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing.Count | Should -Be 2
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'BatchMappingNotFound*'
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $missing[1].TargetObject | Should -BeExactly 'batch_unknown'
    }
}

Describe 'The batch pipeline end to end' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'runs 1,000 tickets, some failing, and maps every result back to its input object' {
        $tickets = @(New-Ticket -Count 1000 -FailEvery 50)
        $results = @($tickets |
            Start-QwenBatch -Model qwen-plus -SystemPrompt 'Classify the ticket as bug, question or request.' -PromptProperty Body -CustomIdProperty TicketId -Name 'tickets-2026-12' -BaseUri $script:BaseUri |
            Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri |
            Receive-QwenBatch -BaseUri $script:BaseUri -ErrorVariable failures -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 1000
        $results[0] | Should -BeOfType ([QwenPS.QwenBatchResult])
        @($results | Where-Object Status -EQ 'Succeeded').Count | Should -Be 980
        $failed = @($results | Where-Object Status -EQ 'Failed')
        $failed.Count | Should -Be 20
        $failed[0].ErrorCode | Should -BeExactly 'data_inspection_failed'
        $failed[0].Error | Should -Not -BeNullOrEmpty
        $failures.Count | Should -Be 20
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'BatchRequestFailed*'

        # The service's order is not the input order; every result still carries its own input object.
        (($results.CustomId) -join ',') | Should -Not -BeExactly (($tickets.TicketId) -join ',')
        foreach ($result in $results) {
            [object]::ReferenceEquals($result.Input, $tickets[$result.Index]) | Should -BeTrue
            $result.CustomId | Should -BeExactly $result.Input.TicketId
            if ($result.Status -eq 'Succeeded') {
                $result.Content | Should -BeExactly "Answer to: $($result.Input.Body)"
                $result.Usage.TotalTokens | Should -BeGreaterThan 0
                $result.StatusCode | Should -Be 200
                $result.RequestId | Should -Not -BeNullOrEmpty
            }
        }

        $csv = Join-Path $TestDrive 'classified.csv'
        $results | Select-Object CustomId, Content, Status | Export-Csv -LiteralPath $csv
        $rows = @(Import-Csv -LiteralPath $csv)
        $rows.Count | Should -Be 1000
        @($rows | Where-Object Status -EQ 'Failed').Count | Should -Be 20
    }

    It 'restores the input order with -InInputOrder' {
        $batch = New-Ticket -Count 40 | Start-QwenBatch -PromptProperty Body -CustomIdProperty TicketId -BaseUri $script:BaseUri |
            Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri
        $ordered = @($batch | Receive-QwenBatch -InInputOrder -BaseUri $script:BaseUri)

        ($ordered.CustomId -join ',') | Should -BeExactly ((1..40 | ForEach-Object { 'T-{0:0000}' -f $_ }) -join ',')
        ($ordered.Index -join ',') | Should -BeExactly ((0..39) -join ',')
    }

    It 'gives every result a Cost that exports cleanly, and adds the succeeded results to Get-QwenUsage once however often they are received' {
        Clear-QwenUsage
        $batch = 'hello', 'hi there', 'no [fail]' | Start-QwenBatch -Model qwen-plus -BaseUri $script:BaseUri | Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri
        $results = @($batch | Receive-QwenBatch -InInputOrder -BaseUri $script:BaseUri -ErrorAction SilentlyContinue)
        $null = $batch | Receive-QwenBatch -BaseUri $script:BaseUri -ErrorAction SilentlyContinue

        # The test server is no region's endpoint, so nothing is priced (the exact batch price is in BatchCostTests).
        $results[0].PSObject.Properties.Name | Should -Contain 'Cost'
        foreach ($result in $results) { $result.Cost | Should -BeNullOrEmpty }
        $csv = Join-Path $TestDrive 'cost.csv'
        $results | Select-Object CustomId, Status, Cost | Export-Csv -LiteralPath $csv
        $lines = @(Get-Content -LiteralPath $csv)
        $lines[0] | Should -BeExactly '"CustomId","Status","Cost"'
        $lines[1] | Should -BeExactly '"qwenps-1","Succeeded",'
        $lines[3] | Should -BeExactly '"qwenps-3","Failed",'

        # "hello" → 5 + 16 tokens, "hi there" → 8 + 19 (the server counts characters); the failed request is not billed.
        $sum = Get-QwenUsage -Model qwen-plus
        $sum.Calls | Should -Be 2
        $sum.PromptTokens | Should -Be 13
        $sum.CompletionTokens | Should -Be 35

        Clear-QwenUsage
        $null = $batch | Receive-QwenBatch -BaseUri $script:BaseUri -ErrorAction SilentlyContinue
        (Get-QwenUsage -Model qwen-plus).Calls | Should -Be 2
    }

    It 'receives in a fresh session by id: results carry the input text from the mapping file' {
        $id = Invoke-FreshPwsh -Script @"
`$env:DASHSCOPE_API_KEY = '$script:Key'
`$env:QWENPS_DATA_HOME = '$script:DataDir'
`$batch = 'first prompt', 'second [fail] prompt', 'third prompt' | Start-QwenBatch -BaseUri '$script:BaseUri'
`$batch.Id
"@
        $id = $id.Trim()
        $id | Should -Match '^batch_'

        $json = Invoke-FreshPwsh -Script @"
`$env:DASHSCOPE_API_KEY = '$script:Key'
`$env:QWENPS_DATA_HOME = '$script:DataDir'
Get-QwenBatch -Id '$id' -BaseUri '$script:BaseUri' | Wait-QwenBatch -PollIntervalSec 0 -BaseUri '$script:BaseUri' |
    Receive-QwenBatch -InInputOrder -BaseUri '$script:BaseUri' -ErrorAction SilentlyContinue |
    Select-Object CustomId, Index, Input, Status, Content | ConvertTo-Json -Compress
"@
        $results = @($json | ConvertFrom-Json)
        ($results.CustomId -join ',') | Should -BeExactly 'qwenps-1,qwenps-2,qwenps-3'
        ($results.Input -join '|') | Should -BeExactly 'first prompt|second [fail] prompt|third prompt'
        ($results.Status -join ',') | Should -BeExactly 'Succeeded,Failed,Succeeded'
        $results[2].Content | Should -BeExactly 'Answer to: third prompt'
    }
}

Describe 'Waiting, cancelling and failures' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'Stop-QwenBatch cancels: the requests already done come back, the others as NotProcessed' {
        Set-BatchServer @{ inProgressPolls = 2 }
        $batch = 1..10 | ForEach-Object { "p$_" } | Start-QwenBatch -BaseUri $script:BaseUri
        $null = Get-QwenBatch -Id $batch.Id -BaseUri $script:BaseUri  # in_progress, 0 done
        $null = Get-QwenBatch -Id $batch.Id -BaseUri $script:BaseUri  # in_progress, 5 done

        $cancelling = $batch | Stop-QwenBatch -PassThru -Confirm:$false -BaseUri $script:BaseUri
        $cancelling.Status | Should -BeExactly 'Cancelling'
        @(Get-QwenTestRequest -Method POST -Path "/batches/$($batch.Id)/cancel").Count | Should -Be 1

        $final = $cancelling | Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri -WarningAction SilentlyContinue
        $final.Status | Should -BeExactly 'Cancelled'
        $results = @($final | Receive-QwenBatch -InInputOrder -BaseUri $script:BaseUri -ErrorVariable notRun -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 10
        @($results | Where-Object Status -EQ 'Succeeded').Count | Should -Be 5
        @($results | Where-Object Status -EQ 'NotProcessed').Count | Should -Be 5
        @($notRun | Where-Object FullyQualifiedErrorId -Like 'BatchRequestNotProcessed*').Count | Should -Be 5
    }

    It 'Stop-QwenBatch -WhatIf cancels nothing' {
        $batch = 'a' | Start-QwenBatch -BaseUri $script:BaseUri
        $batch | Stop-QwenBatch -WhatIf -BaseUri $script:BaseUri
        @(Get-QwenTestRequest -Method POST -Path "/batches/$($batch.Id)/cancel").Count | Should -Be 0
    }

    It 'stopping Wait-QwenBatch (Ctrl+C) stops only the waiting, never the batch' {
        Set-BatchServer @{ inProgressPolls = 100000 }
        $batch = 'a', 'b' | Start-QwenBatch -BaseUri $script:BaseUri
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Manifest, $Id, $BaseUri)
                Import-Module $Manifest
                Wait-QwenBatch -Id $Id -PollIntervalSec 1 -BaseUri $BaseUri
            }).AddArgument((Join-Path $script:RepoRoot 'QwenPS.psd1')).AddArgument($batch.Id).AddArgument($script:BaseUri)
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (@(Get-QwenTestRequest -Method GET -Path "/batches/$($batch.Id)").Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 100
        }

        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $async.IsCompleted | Should -BeTrue
        $ps.Dispose()

        @(Get-QwenTestRequest -Method POST -Path '/batches/*/cancel').Count | Should -Be 0
        $server = Get-ServerBatch | Where-Object id -EQ $batch.Id
        $server.cancelRequested | Should -BeFalse
        $server.status | Should -BeExactly 'in_progress'
    }

    It 'Wait-QwenBatch -TimeoutSec ends with BatchWaitTimeout and leaves the batch running' {
        Set-BatchServer @{ inProgressPolls = 100000 }
        $batch = 'a' | Start-QwenBatch -BaseUri $script:BaseUri

        { $batch | Wait-QwenBatch -PollIntervalSec 1 -TimeoutSec 2 -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'BatchWaitTimeout*'
        (Get-ServerBatch | Where-Object id -EQ $batch.Id).cancelRequested | Should -BeFalse
    }

    It 'a failed batch is written with its reasons and a BatchFailed error' {
        $bodies = @(
            @{ custom_id = 'a'; body = @{ messages = @(@{ role = 'user'; content = 'x' }) } }
        )
        $batch = $bodies | Start-QwenBatch -Model 'nonexistent-model' -BaseUri $script:BaseUri
        $final = $batch | Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri -ErrorVariable failed -ErrorAction SilentlyContinue

        $final.Status | Should -BeExactly 'Failed'
        $final.Errors[0].Code | Should -BeExactly 'model_not_found'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'BatchFailed*'
        $failed[0].Exception.Message | Should -Match 'model_not_found'
    }

    It 'an expired batch is written with a warning, and its unfinished requests come back as NotProcessed' {
        Set-BatchServer @{ outcome = 'expired'; inProgressPolls = 1 }
        $batch = 1..6 | ForEach-Object { "p$_" } | Start-QwenBatch -BaseUri $script:BaseUri
        $final = $batch | Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri -WarningVariable warned -WarningAction SilentlyContinue

        $final.Status | Should -BeExactly 'Expired'
        $warned[0] | Should -Match 'Expired'
        $results = @($final | Receive-QwenBatch -InInputOrder -BaseUri $script:BaseUri -ErrorAction SilentlyContinue)
        ($results.Status | Group-Object -NoElement | Sort-Object Name | ForEach-Object { '{0}={1}' -f $_.Name, $_.Count }) -join ',' |
            Should -BeExactly 'NotProcessed=3,Succeeded=3'
        ($results | Where-Object Status -EQ 'NotProcessed')[0].Error | Should -BeExactly 'The batch expired before this request ran.'
    }

    It 'without the mapping file, results carry their custom ids only, and -InInputOrder is refused' {
        $batch = 'x', 'y' | Start-QwenBatch -BaseUri $script:BaseUri | Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri
        Remove-Item -LiteralPath $batch.MappingPath

        $results = @(Receive-QwenBatch -BatchId $batch.Id -BaseUri $script:BaseUri -WarningVariable warned -WarningAction SilentlyContinue)
        $results.Count | Should -Be 2
        $results[0].Input | Should -BeNullOrEmpty
        $results[0].Index | Should -BeNullOrEmpty
        $warned[0] | Should -Match 'No mapping file'
        { Receive-QwenBatch -BatchId $batch.Id -InInputOrder -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'BatchMappingNotFound*'
    }

    It 'Receive-QwenBatch refuses a batch that has not finished' {
        $batch = 'a' | Start-QwenBatch -BaseUri $script:BaseUri
        { $batch | Receive-QwenBatch -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'BatchNotFinished*'
    }
}

Describe 'Get-QwenBatch' {
    BeforeAll {
        Reset-QwenTestServer
        $script:B1 = 'a' | Start-QwenBatch -Name 'tickets-nov' -BaseUri $script:BaseUri
        $script:B2 = 'b' | Start-QwenBatch -Name 'reports' -BaseUri $script:BaseUri
        $script:B3 = 'c' | Start-QwenBatch -Name 'tickets-dec' -BaseUri $script:BaseUri
    }

    It 'lists the batches newest first, following pages' {
        $all = @(Get-QwenBatch -PageSize 2 -BaseUri $script:BaseUri)
        ($all.Id -join ',') | Should -BeExactly (($script:B3.Id, $script:B2.Id, $script:B1.Id) -join ',')
        @(Get-QwenTestRequest -Method GET -Path '/batches').Count | Should -Be 2
        $all[0].MappingPath | Should -BeExactly $script:B3.MappingPath
    }

    It 'filters by name and status and stops after -First' {
        (@(Get-QwenBatch -Name tickets -BaseUri $script:BaseUri).Id -join ',') | Should -BeExactly (($script:B3.Id, $script:B1.Id) -join ',')
        (Get-QwenTestRequest -Method GET -Path '/batches')[-1].query | Should -Match 'ds_name=tickets'
        @(Get-QwenBatch -Status Completed -BaseUri $script:BaseUri).Count | Should -Be 0
        (Get-QwenTestRequest -Method GET -Path '/batches')[-1].query | Should -Match 'status=completed'
        @(Get-QwenBatch -First 1 -BaseUri $script:BaseUri).Count | Should -Be 1
    }

    It 'gets one batch by id, and reports an unknown id as a non-terminating error' {
        $found = @(Get-QwenBatch -Id 'batch_missing', $script:B2.Id -BaseUri $script:BaseUri -ErrorVariable missing -ErrorAction SilentlyContinue)
        $found.Count | Should -Be 1
        $found[0].Name | Should -BeExactly 'reports'
        $missing.Count | Should -Be 1
        $missing[0].TargetObject | Should -BeExactly 'batch_missing'
    }
}

Describe 'JSON output (-AsJson, -JsonSchema, -AsObject)' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'writes json_object mode into every line, and Receive-QwenBatch gives each answer as objects in Value' {
        $tickets = New-Ticket -Count 3
        $tickets[1].Body += ' [badjson]'
        $batch = $tickets | Start-QwenBatch -PromptProperty Body -CustomIdProperty TicketId -SystemPrompt 'Classify the ticket.' -AsJson -BaseUri $script:BaseUri -Verbose 4>&1 |
            ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { $script:JsonVerbose += @($_.Message) } else { $_ } }

        $lines = @(Get-UploadedLine -FileId $batch.InputFileId)
        foreach ($line in $lines) {
            $line.body.response_format.type | Should -BeExactly 'json_object'
            $line.body.enable_thinking | Should -BeFalse
        }

        # JSON object mode needs the word json in each request: added where it is missing ("[badjson]" has it).
        ($lines[0].body.messages.role -join ',') | Should -BeExactly 'system,system,user'
        $lines[0].body.messages[1].content | Should -BeExactly 'Reply with JSON.'
        ($lines[1].body.messages.role -join ',') | Should -BeExactly 'system,user'
        $script:JsonVerbose | Should -Contain 'JSON object mode needs the word "json" in a system or user message: 2 request(s) had none and got the system message "Reply with JSON.".'

        $results = @($batch | Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri |
            Receive-QwenBatch -InInputOrder -BaseUri $script:BaseUri -ErrorVariable failures -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 3
        $results[0].Value | Should -BeOfType ([pscustomobject])
        $results[0].Value.answer | Should -BeExactly 'Answer to: Printer 1 shows error E-1.'
        $results[2].Value.answer | Should -BeExactly 'Answer to: Printer 3 shows error E-3.'

        # The broken answer: a failed result that keeps its text and usage, and a JsonAnswerInvalid error, never a crash.
        $results[1].Status | Should -BeExactly 'Failed'
        $results[1].ErrorCode | Should -BeExactly 'json_answer_invalid'
        $results[1].Error | Should -BeLike 'The answer is not valid JSON: *'
        $results[1].Content | Should -BeLike '{"answer":*,}'
        $results[1].Usage.TotalTokens | Should -BeGreaterThan 0
        $results[1].Value | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'JsonAnswerInvalid*'
        $failures[0].TargetObject.CustomId | Should -BeExactly 'T-0002'

        $rows = @($results | Where-Object Status -EQ 'Succeeded' | Select-Object CustomId -ExpandProperty Value)
        ($rows.CustomId -join ',') | Should -BeExactly 'T-0001,T-0003'
        $rows[0].answer | Should -BeExactly 'Answer to: Printer 1 shows error E-1.'
    }

    It 'writes the -JsonSchema into every line and checks each answer against it, in a later session too' {
        $schema = [ordered]@{
            title                = 'ticket'
            type                 = 'object'
            properties           = [ordered]@{ category = @{ type = 'string'; enum = @('bug', 'question', 'request') } }
            required             = @('category')
            additionalProperties = $false
        }
        $batch = 'Printer on fire', 'Paper jam [badjson:SchemaViolation]' | Start-QwenBatch -JsonSchema $schema -BaseUri $script:BaseUri
        $lines = @(Get-UploadedLine -FileId $batch.InputFileId)
        $lines[0].body.response_format.type | Should -BeExactly 'json_schema'
        $lines[0].body.response_format.json_schema.name | Should -BeExactly 'ticket'
        $lines[0].body.response_format.json_schema.strict | Should -BeTrue
        $lines[0].body.response_format.json_schema.schema.properties.category.enum | Should -Be @('bug', 'question', 'request')
        ($lines[0].body.messages.role -join ',') | Should -BeExactly 'user'
        $null = $batch | Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri

        $json = Invoke-FreshPwsh -Script @"
`$env:DASHSCOPE_API_KEY = '$script:Key'
`$env:QWENPS_DATA_HOME = '$script:DataDir'
Receive-QwenBatch -BatchId '$($batch.Id)' -InInputOrder -BaseUri '$script:BaseUri' -ErrorAction SilentlyContinue |
    Select-Object CustomId, Status, ErrorCode, Error, Value | ConvertTo-Json -Compress -Depth 5
"@
        $results = @($json | ConvertFrom-Json)
        $results[0].Status | Should -BeExactly 'Succeeded'
        $results[0].Value.category | Should -BeExactly 'bug'
        $results[1].Status | Should -BeExactly 'Failed'
        $results[1].ErrorCode | Should -BeExactly 'json_answer_invalid'
        $results[1].Error | Should -BeLike 'The answer does not match the JSON schema: *'
    }

    It 'reads the answers of any batch as JSON with -AsObject, and leaves a plain batch''s answers as text without it' {
        $body = @{ messages = @(@{ role = 'user'; content = 'Reply in json' }); response_format = @{ type = 'json_object' } }
        $batch = $body | Start-QwenBatch -BaseUri $script:BaseUri | Wait-QwenBatch -PollIntervalSec 0 -BaseUri $script:BaseUri

        $plain = $batch | Receive-QwenBatch -BaseUri $script:BaseUri
        $plain.Content | Should -BeExactly '{"answer":"Answer to: Reply in json"}'
        $plain.Value | Should -BeNullOrEmpty
        ($batch | Receive-QwenBatch -AsObject -BaseUri $script:BaseUri).Value.answer | Should -BeExactly 'Answer to: Reply in json'
    }
}
