# Copyright (c) QwenPS contributors. MIT License.
# The parameters of Get-QwenFile, Remove-QwenFile, Add-QwenFileReference, Connect-Qwen, Disconnect-Qwen and
# New-QwenMessage, one by one: what the test server received, or what the user sees.
# (The shared service parameters are in ServiceParameters.Tests.ps1, Invoke-QwenChat's in Invoke-QwenChat.Parameters.Tests.ps1.)

BeforeAll {
    $script:ManifestPath = Join-Path $PSScriptRoot '..' 'QwenPS.psd1'
    Import-Module $script:ManifestPath -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:Server = $script:Session.Server
    $script:BaseUri = $script:Session.BaseUri
    $script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)
    $script:Folder = Join-Path $TestDrive 'docs'
    $null = New-Item -ItemType Directory -Path $script:Folder
    foreach ($name in 'a.md', 'b.md', 'c.txt', 'brackets[1].txt') {
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($script:Folder, $name), "content of $name", $script:Utf8NoBom)
    }

    $script:Brackets = [System.IO.Path]::Combine($script:Folder, 'brackets[1].txt')

    # Uploads the named files and returns their ids, in order.
    function New-StoredFile {
        param([string[]]$Name)

        $paths = @($Name | ForEach-Object { [System.IO.Path]::Combine($script:Folder, $_) })
        $reference = Add-QwenFileReference -LiteralPath $paths -BaseUri $script:BaseUri
        @($reference.Content -split ',' | ForEach-Object { $_ -replace '^fileid://', '' })
    }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Disconnect-Qwen
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Get-QwenFile parameters' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'takes -FileId by position, by the alias -Id, from piped strings and from piped objects with an Id or FileId' {
        $ids = @(New-StoredFile -Name 'a.md', 'b.md')

        (Get-QwenFile $ids[0] -BaseUri $script:BaseUri).Id | Should -BeExactly $ids[0]
        (Get-QwenFile -Id $ids[1] -BaseUri $script:BaseUri).Id | Should -BeExactly $ids[1]
        (@($ids | Get-QwenFile -BaseUri $script:BaseUri | ForEach-Object { $_.Id }) -join ',') | Should -BeExactly ($ids -join ',')
        ([pscustomobject]@{ Id = $ids[0] } | Get-QwenFile -BaseUri $script:BaseUri).FileName | Should -BeExactly 'a.md'
        ([pscustomobject]@{ FileId = $ids[1] } | Get-QwenFile -BaseUri $script:BaseUri).FileName | Should -BeExactly 'b.md'
    }

    It 'asks for each -FileId with GET /files/<id>, in order' {
        $ids = @(New-StoredFile -Name 'a.md', 'b.md')
        $before = @(Get-QwenTestRequest).Count

        $files = @(Get-QwenFile -FileId $ids[1], $ids[0] -BaseUri $script:BaseUri)

        $gets = @(Get-QwenTestRequest | Select-Object -Skip $before)
        (($gets | ForEach-Object { "$($_.method) $($_.path)" }) -join ',') | Should -BeExactly "GET /files/$($ids[1]),GET /files/$($ids[0])"
        (($files | ForEach-Object { $_.FileName }) -join ',') | Should -BeExactly 'b.md,a.md'
    }

    It 'sends -Purpose <Purpose> in the query, and no purpose without it' -ForEach @(
        @{ Purpose = 'file-extract' }
        @{ Purpose = 'batch' }
        @{ Purpose = 'batch_output' }
    ) {
        $null = Get-QwenFile -Purpose $Purpose -BaseUri $script:BaseUri
        $null = Get-QwenFile -BaseUri $script:BaseUri

        $lists = @(Get-QwenTestRequest -Method GET -Path '/files')
        $lists.Count | Should -Be 2
        $lists[0].query | Should -Match ('(\?|&)purpose=' + [regex]::Escape($Purpose) + '(&|$)')
        $lists[1].query | Should -Not -Match 'purpose='
    }

    It 'refuses a -Purpose it does not know, and -Purpose with -FileId, before any request' {
        { Get-QwenFile -Purpose 'fine-tune' -BaseUri $script:BaseUri } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
        { Get-QwenFile -Purpose 'batch' -FileId 'file-fe-1' -BaseUri $script:BaseUri } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
        { Get-QwenFile -FileId '' -BaseUri $script:BaseUri } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
        @(Get-QwenTestRequest).Count | Should -Be 0
    }

    It 'ends at a timeout on one id and does not ask for the ids after it' {
        $ids = @(New-StoredFile -Name 'a.md', 'b.md')
        Add-QwenTestBehavior @{ kind = 'delay'; delayMs = 20000; path = '/files/file-fe-slow'; method = 'GET' }
        $output = [System.Collections.Generic.List[object]]::new()
        $before = @(Get-QwenTestRequest).Count

        $err = { Get-QwenFile -FileId $ids[0], 'file-fe-slow', $ids[1] -IdleTimeoutSec 1 -MaxRetry 0 -BaseUri $script:BaseUri | ForEach-Object { $output.Add($_) } } |
            Should -Throw -ErrorId 'ResponseTimeout,QwenPS.Commands.GetQwenFileCommand' -PassThru

        $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::OperationTimeout)
        $output.Count | Should -Be 1
        $output[0].Id | Should -BeExactly $ids[0]
        $after = @(Get-QwenTestRequest | Select-Object -Skip $before)
        (($after | ForEach-Object { $_.path }) -join ',') | Should -BeExactly "/files/$($ids[0]),/files/file-fe-slow"
    }

    It 'reports an unknown id with its target and the request id, and goes on' {
        $ids = @(New-StoredFile -Name 'a.md')

        $found = @(Get-QwenFile -FileId 'file-fe-unknown', $ids[0] -BaseUri $script:BaseUri -ErrorAction SilentlyContinue -ErrorVariable getErrors)

        $found.Count | Should -Be 1
        $getErrors.Count | Should -Be 1
        $record = $getErrors[0]
        $requestId = @(Get-QwenTestRequest -Method GET -Path '/files/file-fe-unknown')[0].requestId
        $record.FullyQualifiedErrorId | Should -BeExactly 'NotFound,QwenPS.Commands.GetQwenFileCommand'
        $record.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        $record.TargetObject | Should -BeExactly 'file-fe-unknown'
        $record.Exception | Should -BeOfType ([QwenPS.QwenException])
        $record.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($requestId))
    }
}

Describe 'Remove-QwenFile parameters' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'takes -FileId by position, by the alias -Id and from piped strings' {
        $ids = @(New-StoredFile -Name 'a.md', 'b.md', 'c.txt')

        Remove-QwenFile $ids[0] -Confirm:$false -BaseUri $script:BaseUri
        Remove-QwenFile -Id $ids[1] -Confirm:$false -BaseUri $script:BaseUri
        $ids[2] | Remove-QwenFile -Confirm:$false -BaseUri $script:BaseUri

        (@(Get-QwenTestRequest -Method DELETE | ForEach-Object { $_.path }) -join ',') | Should -BeExactly (($ids | ForEach-Object { "/files/$_" }) -join ',')
        @(Get-QwenFile -BaseUri $script:BaseUri).Count | Should -Be 0
    }

    It 'ends at a timeout on one id and deletes none of the ids after it' {
        $ids = @(New-StoredFile -Name 'a.md', 'b.md')
        Add-QwenTestBehavior @{ kind = 'delay'; delayMs = 20000; path = '/files/file-fe-slow'; method = 'DELETE' }

        { Remove-QwenFile -FileId $ids[0], 'file-fe-slow', $ids[1] -IdleTimeoutSec 1 -MaxRetry 0 -Confirm:$false -BaseUri $script:BaseUri } |
            Should -Throw -ErrorId 'ResponseTimeout,QwenPS.Commands.RemoveQwenFileCommand'

        @(Get-QwenTestRequest -Method DELETE -Path "/files/$($ids[1])").Count | Should -Be 0
        (@(Get-QwenFile -BaseUri $script:BaseUri | ForEach-Object { $_.Id }) -join ',') | Should -BeExactly $ids[1]
    }

    It 'reports a refused id with its target and the request id, and goes on' {
        $ids = @(New-StoredFile -Name 'a.md')

        Remove-QwenFile -FileId 'file-fe-unknown', $ids[0] -Confirm:$false -BaseUri $script:BaseUri -ErrorAction SilentlyContinue -ErrorVariable removeErrors

        $removeErrors.Count | Should -Be 1
        $requestId = @(Get-QwenTestRequest -Method DELETE -Path '/files/file-fe-unknown')[0].requestId
        $removeErrors[0].FullyQualifiedErrorId | Should -BeExactly 'NotFound,QwenPS.Commands.RemoveQwenFileCommand'
        $removeErrors[0].TargetObject | Should -BeExactly 'file-fe-unknown'
        $removeErrors[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($requestId))
        @(Get-QwenFile -BaseUri $script:BaseUri).Count | Should -Be 0
    }
}

Describe 'Add-QwenFileReference parameters' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'expands a wildcard in -Path (by position) and uploads the matches in order' {
        $reference = Add-QwenFileReference (Join-Path $script:Folder '*.md') -BaseUri $script:BaseUri

        (@(Get-QwenTestRequest -Method POST -Path '/files' | ForEach-Object { $_.upload.fileName }) -join ',') | Should -BeExactly 'a.md,b.md'
        @($reference.Content -split ',').Count | Should -Be 2
    }

    It 'fails with FileNotFound, naming the pattern, when a -Path wildcard matches nothing' {
        $pattern = Join-Path $script:Folder '*.pdf'

        $err = { Add-QwenFileReference -Path $pattern -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'FileNotFound,QwenPS.Commands.AddQwenFileReferenceCommand' -PassThru

        $err.TargetObject | Should -BeExactly $pattern
        $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        @(Get-QwenTestRequest).Count | Should -Be 0
    }

    It 'takes -LiteralPath (and its aliases -PSPath and -LP) as written, brackets included' {
        $null = Add-QwenFileReference -LiteralPath $script:Brackets -BaseUri $script:BaseUri
        $null = Add-QwenFileReference -PSPath $script:Brackets -BaseUri $script:BaseUri
        $null = Add-QwenFileReference -LP $script:Brackets -BaseUri $script:BaseUri

        $uploads = @(Get-QwenTestRequest -Method POST -Path '/files')
        $uploads.Count | Should -Be 3
        foreach ($upload in $uploads) {
            $upload.upload.fileName | Should -BeExactly 'brackets[1].txt'
        }
    }

    It 'refuses a path that is not on the file system' {
        $err = { Add-QwenFileReference -LiteralPath 'Env:\PATH' -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'InvalidArgument,QwenPS.Commands.AddQwenFileReferenceCommand' -PassThru

        $err.TargetObject | Should -BeExactly 'Env:\PATH'
        @(Get-QwenTestRequest).Count | Should -Be 0
    }

    It 'takes a document or a message through -InputObject given as a parameter' {
        $fromFile = @(Add-QwenFileReference -InputObject (Get-Item -LiteralPath $script:Brackets) -BaseUri $script:BaseUri)
        $message = New-QwenMessage -Role System -Content 'Read it.'
        $withMessage = @(Add-QwenFileReference -InputObject $message -FileId 'file-fe-given' -BaseUri $script:BaseUri)

        $fromFile.Count | Should -Be 1
        @(Get-QwenTestRequest -Method POST -Path '/files')[0].upload.fileName | Should -BeExactly 'brackets[1].txt'
        $withMessage.Count | Should -Be 2
        $withMessage[0].Content | Should -BeExactly 'Read it.'
        $withMessage[1].Content | Should -BeExactly 'fileid://file-fe-given'
    }

    It 'ends with FileProcessingTimeout, naming the file id, when -ProcessingTimeoutSec runs out' {
        $null = Set-QwenTestServerOption @{ processingPolls = 1000000 }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()

        $err = { Add-QwenFileReference -LiteralPath $script:Brackets -ProcessingTimeoutSec 1 -BaseUri $script:BaseUri } |
            Should -Throw -ErrorId 'FileProcessingTimeout,QwenPS.Commands.AddQwenFileReferenceCommand' -PassThru

        $watch.Stop()
        $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::OperationTimeout)
        $err.TargetObject | Should -Match '^file-fe-'
        @(Get-QwenTestRequest -Method GET -Path "/files/$($err.TargetObject)").Count | Should -BeGreaterThan 0
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
    }

    It 'waits for processing longer than one poll with the default -ProcessingTimeoutSec' {
        $null = Set-QwenTestServerOption @{ processingPolls = 3 }

        $reference = Add-QwenFileReference -LiteralPath $script:Brackets -BaseUri $script:BaseUri

        $reference.Content | Should -Match '^fileid://file-fe-'
        @(Get-QwenTestRequest -Method GET).Count | Should -Be 3
    }

    It 'refuses -ProcessingTimeoutSec 0' {
        { Add-QwenFileReference -LiteralPath $script:Brackets -ProcessingTimeoutSec 0 -BaseUri $script:BaseUri } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
        @(Get-QwenTestRequest).Count | Should -Be 0
    }
}

Describe 'ShouldProcess messages' {
    BeforeAll {
        # -WhatIf writes to the host, not to a stream: run a child pwsh and read its console output.
        $pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
        $script:Document = [System.IO.Path]::Combine($script:Folder, 'c.txt')
        $command = "Import-Module -Name '$($script:ManifestPath -replace "'", "''")' -ErrorAction Stop; " +
            "Remove-QwenFile -FileId 'file-fe-whatif1', 'file-fe-whatif2' -BaseUri '$($script:BaseUri)' -WhatIf; " +
            "Add-QwenFileReference -LiteralPath '$($script:Document -replace "'", "''")' -BaseUri '$($script:BaseUri)' -WhatIf"
        $arguments = @('-NoProfile', '-NonInteractive', '-Command', $command)
        if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') {
            # PowerShell as a .NET tool runs as "dotnet <pwsh.dll>".
            $arguments = @([System.Environment]::GetCommandLineArgs()[0]) + $arguments
        }

        Reset-QwenTestServer
        $script:WhatIfLines = @(& $pwsh @arguments 2>&1 | ForEach-Object { [string]$_ })
        $script:WhatIfRequests = @(Get-QwenTestRequest)
    }

    It 'names each file id and the deletion for Remove-QwenFile -WhatIf' {
        $text = $script:WhatIfLines -join "`n"

        $text | Should -Match ([regex]::Escape('What if: Performing the operation "Delete DashScope file" on target "file-fe-whatif1".'))
        $text | Should -Match ([regex]::Escape('What if: Performing the operation "Delete DashScope file" on target "file-fe-whatif2".'))
    }

    It 'names the local file and the upload for Add-QwenFileReference -WhatIf' {
        $text = $script:WhatIfLines -join "`n"

        $text | Should -Match ([regex]::Escape("What if: Performing the operation ""Upload to DashScope (purpose file-extract)"" on target ""$($script:Document)""."))
    }

    It 'changes nothing: only reads of the two files, for their names' {
        # -WhatIf reads a bare id's file name (a free GET) so that the line names the file; it deletes and uploads nothing.
        ($script:WhatIfRequests | ForEach-Object { $_.method + ' ' + $_.path }) -join '|' |
            Should -BeExactly 'GET /files/file-fe-whatif1|GET /files/file-fe-whatif2'
    }
}

Describe 'Connect-Qwen and Disconnect-Qwen parameters' {
    BeforeEach {
        Reset-QwenTestServer
        Disconnect-Qwen
    }

    AfterEach {
        Disconnect-Qwen
    }

    It 'takes -ApiKey by position' {
        $null = Connect-Qwen (ConvertTo-SecureString -String 'sk-positional' -AsPlainText -Force) -BaseUri $script:BaseUri

        $null = Invoke-QwenChat -Prompt 'x'

        (Get-QwenTestLastChatRequest).headers.Authorization | Should -BeExactly 'Bearer sk-positional'
    }

    It 'reports the endpoint of -Region <Region>' -ForEach @(
        @{ Region = 'Beijing'; Expected = 'https://dashscope.aliyuncs.com/compatible-mode/v1' }
        @{ Region = 'Singapore'; Expected = 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1' }
        @{ Region = 'US'; Expected = 'https://dashscope-us.aliyuncs.com/compatible-mode/v1' }
        @{ Region = 'HongKong'; Expected = 'https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1' }
    ) {
        $info = Connect-Qwen -Region $Region

        $info.Region | Should -Be $Region
        $info.BaseUri.AbsoluteUri.TrimEnd('/') | Should -BeExactly $Expected
        @(Get-QwenTestRequest).Count | Should -Be 0
    }

    It 'makes later calls go to the -Region endpoint (seen at a stand-in proxy)' {
        $null = Connect-Qwen -Region HongKong
        $catcher = Start-QwenTestTunnelCatcher

        { Invoke-QwenChat -Prompt 'x' -Proxy $catcher.Uri -IdleTimeoutSec 1 -MaxRetry 0 } | Should -Throw
        $head = Receive-QwenTestTunnelRequest -Catcher $catcher

        $head | Should -Match '^CONNECT cn-hongkong\.dashscope\.aliyuncs\.com:443 '
    }

    It 'refuses -Region with -BaseUri at parameter binding' {
        { Connect-Qwen -Region Singapore -BaseUri $script:BaseUri } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
    }

    It 'refuses an insecure -BaseUri and keeps the defaults it had' {
        $null = Connect-Qwen -BaseUri $script:BaseUri -Model 'qwen-max'

        $err = { Connect-Qwen -BaseUri 'http://example.com/compatible-mode/v1' } | Should -Throw -ErrorId 'InsecureEndpoint,QwenPS.Commands.ConnectQwenCommand' -PassThru

        $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::SecurityError)
        $null = Invoke-QwenChat -Prompt 'x'
        (Get-QwenTestLastChatRequest).bodyJson.model | Should -BeExactly 'qwen-max'
    }

    It 'replaces all its defaults on each call' {
        $null = Connect-Qwen -BaseUri $script:BaseUri -Model 'qwen-max' -ApiKey (ConvertTo-SecureString -String 'sk-first' -AsPlainText -Force)
        $null = Connect-Qwen -BaseUri $script:BaseUri

        $null = Invoke-QwenChat -Prompt 'x'

        $request = Get-QwenTestLastChatRequest
        $request.bodyJson.model | Should -BeExactly 'qwen-plus'
        $request.headers.Authorization | Should -BeExactly 'Bearer sk-pester-fake-0000000000'
    }

    It 'names where the key comes from, and warns when there is none' {
        $withKey = Connect-Qwen -ApiKey (ConvertTo-SecureString -String 'sk-x' -AsPlainText -Force) -BaseUri $script:BaseUri -WarningVariable w1 -WarningAction SilentlyContinue
        $fromEnv = Connect-Qwen -BaseUri $script:BaseUri -WarningVariable w2 -WarningAction SilentlyContinue
        $saved = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $null
        try {
            $none = Connect-Qwen -BaseUri $script:BaseUri -WarningVariable w3 -WarningAction SilentlyContinue
        }
        finally {
            $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $saved
        }

        $withKey.ApiKeySource | Should -BeExactly 'Connect-Qwen'
        $fromEnv.ApiKeySource | Should -BeExactly 'DASHSCOPE_API_KEY'
        $none.ApiKeySource | Should -BeExactly 'None'
        @($w1).Count | Should -Be 0
        @($w2).Count | Should -Be 0
        @($w3).Count | Should -Be 1
        [string]$w3[0] | Should -Match 'DASHSCOPE_API_KEY'
    }

    It 'says in -Verbose output whether Disconnect-Qwen cleared anything' {
        $null = Connect-Qwen -BaseUri $script:BaseUri

        $first = @(Disconnect-Qwen -Verbose 4>&1 | ForEach-Object { $_.Message })
        $second = @(Disconnect-Qwen -Verbose 4>&1 | ForEach-Object { $_.Message })

        ($first -join "`n") | Should -Match 'Cleared'
        ($second -join "`n") | Should -Match 'had set nothing'
    }
}

Describe 'New-QwenMessage parameters on the wire' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'sends each -Role under its API name and -Content as given' {
        $null = New-QwenMessage -Role System -Content 'sys' |
            New-QwenMessage -Role User -Content 'usr' |
            New-QwenMessage -Role Assistant -Content 'asst' |
            New-QwenMessage -Role User -Content '  spaced  ' |
            Invoke-QwenChat -BaseUri $script:BaseUri

        $sent = @((Get-QwenTestLastChatRequest).bodyJson.messages)
        (($sent | ForEach-Object { $_.role }) -join ',') | Should -BeExactly 'system,user,assistant,user'
        (($sent | ForEach-Object { $_.content }) -join '|') | Should -BeExactly 'sys|usr|asst|  spaced  '
        foreach ($message in $sent) {
            $message.PSObject.Properties.Name | Should -Not -Contain 'tool_call_id'
        }
    }

    It 'sends a tool message with -ToolCallId as tool_call_id, after the tool call it answers' {
        Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ toolCalls = @(@{ index = 0; id = 'call_42'; name = 'get_weather'; argumentFragments = @('{"city":"Hangzhou"}') }) } }
        $call = Invoke-QwenChat -Prompt 'weather?' -BaseUri $script:BaseUri
        Reset-QwenTestServer

        $null = $call | New-QwenMessage -Role Tool -Content '{"ok":true}' -ToolCallId 'call_42' | Invoke-QwenChat -BaseUri $script:BaseUri

        $sent = @((Get-QwenTestLastChatRequest).bodyJson.messages)
        $sent[-1].role | Should -BeExactly 'tool'
        $sent[-1].content | Should -BeExactly '{"ok":true}'
        $sent[-1].tool_call_id | Should -BeExactly 'call_42'
    }

    It 'passes -InputObject given as a parameter through before its own message' {
        $first = New-QwenMessage -Role User -Content 'first'

        $output = @(New-QwenMessage -Role Assistant -Content 'second' -InputObject $first)

        $output.Count | Should -Be 2
        [object]::ReferenceEquals($output[0], $first) | Should -BeTrue
        $output[1].Content | Should -BeExactly 'second'
    }
}
