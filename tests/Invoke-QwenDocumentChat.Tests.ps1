# Copyright (c) QwenPS contributors. MIT License.
# Invoke-QwenDocumentChat: one question, many documents, against the local test server.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:BaseUri = $script:Session.BaseUri
    $script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)
    $script:Prompt = 'Summarise in five bullet points'

    # The file-id index lives in the test drive, never in the user's real data folder.
    $script:DataHome = Join-Path $TestDrive 'data'
    $script:SavedDataHome = Set-QwenTestEnvironmentVariable -Name 'QWENPS_DATA_HOME' -Value $script:DataHome

    function script:New-Folder([string]$Name) {
        $path = Join-Path $TestDrive $Name
        $null = New-Item -ItemType Directory -Path $path -Force
        $path
    }

    function script:Write-Doc([string]$Folder, [string]$Name, [string]$Text) {
        $path = Join-Path $Folder $Name
        [System.IO.File]::WriteAllText($path, $Text, $script:Utf8NoBom)
        $path
    }

    function script:Get-Uploads { @(Get-QwenTestRequest -Method POST -Path '/files') }

    function script:Get-Chats { @(Get-QwenTestRequest -Method POST -Path '/chat/completions') }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
        $null = Set-QwenTestEnvironmentVariable -Name 'QWENPS_DATA_HOME' -Value $script:SavedDataHome
    }
}

Describe 'Invoke-QwenDocumentChat' {
    BeforeEach {
        Reset-QwenTestServer
        Remove-Item -LiteralPath $script:DataHome -Recurse -Force -ErrorAction SilentlyContinue
    }

    Context 'Forty documents, one of which fails to parse' {
        BeforeAll {
            Reset-QwenTestServer
            $folder = New-Folder 'forty'
            foreach ($i in 1..40) {
                $null = Write-Doc $folder ('report-{0:00}.txt' -f $i) "Quarterly report number $i"
            }

            # The real upload limit (3 per second) is in force: the command must stay under it.
            $null = Invoke-QwenTestControl -Method Post -Endpoint 'file-rules' -Body @{
                uploadsPerSecond = 3
                rules            = @(@{ fileName = 'report-17.txt'; finalStatus = 'error'; statusDetails = 'The file could not be parsed.' })
            }
            $script:Errors = $null
            $script:Results = @(Get-ChildItem -LiteralPath $folder -Filter *.txt |
                Invoke-QwenDocumentChat -Prompt $script:Prompt -BaseUri $script:BaseUri -ErrorVariable script:Errors -ErrorAction SilentlyContinue)
            $script:Stored = @(Get-QwenFile -BaseUri $script:BaseUri)
            $script:Rules = Invoke-QwenTestControl -Endpoint 'file-rules'
            $script:UploadCount = (Get-Uploads).Count
            $script:ChatBodies = @(Get-Chats | ForEach-Object { $_.bodyJson })
        }

        It 'writes one QwenDocumentAnswer per document' {
            $script:Results.Count | Should -Be 40
            $script:Results | ForEach-Object { $_ | Should -BeOfType ([QwenPS.QwenDocumentAnswer]) }
            ($script:Results.Name | Sort-Object) -join ',' | Should -BeExactly ((1..40 | ForEach-Object { 'report-{0:00}.txt' -f $_ }) -join ',')
        }

        It 'answers every good document from its own file' {
            $good = @($script:Results | Where-Object Succeeded)
            $good.Count | Should -Be 39
            foreach ($answer in $good) {
                $file = $script:Stored | Where-Object FileName -EQ $answer.Name
                $answer.FileId | Should -BeExactly $file.Id
                $answer.Content | Should -BeExactly "Answer to: $($script:Prompt) [files: $($file.Id)]"
                $answer.Model | Should -BeExactly 'qwen-long'
                $answer.RequestId | Should -Not -BeNullOrEmpty
                $answer.Usage.TotalTokens | Should -BeGreaterThan 0
                $answer.Error | Should -BeNullOrEmpty
            }
        }

        It 'reports the bad one as an error record with the document as target, and as a result' {
            $script:Errors.Count | Should -Be 1
            $script:Errors[0].FullyQualifiedErrorId | Should -BeLike 'FileProcessingFailed,*'
            $script:Errors[0].TargetObject | Should -BeOfType ([System.IO.FileInfo])
            $script:Errors[0].TargetObject.Name | Should -BeExactly 'report-17.txt'
            $bad = $script:Results | Where-Object { -not $_.Succeeded }
            $bad.Name | Should -BeExactly 'report-17.txt'
            $bad.ErrorId | Should -BeExactly 'FileProcessingFailed'
            $bad.Error | Should -Match 'could not be parsed'
            $bad.Content | Should -BeNullOrEmpty
        }

        It 'uploads each document once within the upload rate, and asks about each good one' {
            $script:UploadCount | Should -Be 40
            $script:Rules.throttledUploads | Should -Be 0
            $script:ChatBodies.Count | Should -Be 39
            foreach ($body in $script:ChatBodies) {
                $body.model | Should -BeExactly 'qwen-long'
                (@($body.messages) | ForEach-Object role) -join ',' | Should -BeExactly 'system,system,user'
                $body.messages[0].content | Should -BeExactly 'You are a helpful assistant.'
                $body.messages[1].content | Should -Match '^fileid://file-fe-[0-9a-f]{32}$'
                $body.messages[2].content | Should -BeExactly $script:Prompt
            }
        }

        It 'exports cleanly to CSV' {
            $csv = @($script:Results | Select-Object Name, Content, Error | ConvertTo-Csv | ConvertFrom-Csv)
            $csv.Count | Should -Be 40
            ($csv | Where-Object Name -EQ 'report-17.txt').Error | Should -Match 'could not be parsed'
        }
    }

    Context 'A mixed folder: text, PDF, one unreadable, one duplicate' {
        BeforeAll {
            Reset-QwenTestServer
            Remove-Item -LiteralPath $script:DataHome -Recurse -Force -ErrorAction SilentlyContinue
            $folder = New-Folder 'mixed'
            $null = Write-Doc $folder 'notes.md' "# Notes`nThe board met on Monday."
            $null = Write-Doc $folder 'minutes.txt' 'Minutes of the meeting.'
            $null = Write-Doc $folder 'minutes-copy.txt' 'Minutes of the meeting.'
            [System.IO.File]::WriteAllBytes((Join-Path $folder 'report.pdf'), [System.Text.Encoding]::ASCII.GetBytes('%PDF-1.4 a report'))
            [System.IO.File]::WriteAllBytes((Join-Path $folder 'broken.docx'), [byte[]](0x50, 0x4B, 0x03, 0x04, 0xFF))
            $null = Invoke-QwenTestControl -Method Post -Endpoint 'file-rules' -Body @{
                rules = @(@{ fileName = 'broken.docx'; finalStatus = 'error'; statusDetails = 'The document is damaged.' })
            }

            $script:Errors = $null
            $script:Results = @(Get-ChildItem -LiteralPath $folder | Invoke-QwenDocumentChat -Prompt $script:Prompt -BaseUri $script:BaseUri -ErrorVariable script:Errors -ErrorAction SilentlyContinue)
            $script:Uploads = Get-Uploads

            # The same folder again: everything is reused through the index, nothing uploaded.
            Reset-QwenTestServer
            $null = Invoke-QwenTestControl -Method Post -Endpoint 'files' -Body @($script:Results | Where-Object Succeeded | ForEach-Object FileId | Sort-Object -Unique | ForEach-Object { @{ id = $_; filename = 'x'; text = 'x' } })
            $script:Again = @(Get-ChildItem -LiteralPath $folder | Invoke-QwenDocumentChat -Prompt $script:Prompt -BaseUri $script:BaseUri -ErrorAction SilentlyContinue)
            $script:UploadsAgain = Get-Uploads
        }

        It 'gives one result per document, the bad one with its error' {
            $script:Results.Count | Should -Be 5
            @($script:Results | Where-Object Succeeded).Count | Should -Be 4
            ($script:Results | Where-Object Name -EQ 'broken.docx').ErrorId | Should -BeExactly 'FileProcessingFailed'
            $script:Errors.Count | Should -Be 1
            $script:Errors[0].TargetObject.Name | Should -BeExactly 'broken.docx'
        }

        It 'uploads the duplicate only once, and both copies get the same answer' {
            $script:Uploads.Count | Should -Be 4
            ($script:Uploads.upload.fileName | Where-Object { $_ -like 'minutes*' }).Count | Should -Be 1
            $original = $script:Results | Where-Object Name -EQ 'minutes.txt'
            $copy = $script:Results | Where-Object Name -EQ 'minutes-copy.txt'
            $copy.FileId | Should -BeExactly $original.FileId
            $copy.Content | Should -BeExactly $original.Content
        }

        It 'reuses every processed file in a later run, after checking it still exists' {
            $script:UploadsAgain.Count | Should -Be 1
            $script:UploadsAgain[0].upload.fileName | Should -BeExactly 'broken.docx'
            @($script:Again | Where-Object Reused).Count | Should -Be 4
        }
    }

    Context 'Inputs, -As Text, -WhatIf and -RemoveAfter' {
        It 'takes paths, stored files and file ids from the pipeline' {
            $folder = New-Folder 'inputs'
            $path = Write-Doc $folder 'a.txt' 'alpha'
            $null = Invoke-QwenTestControl -Method Post -Endpoint 'files' -Body @(
                @{ id = 'file-fe-stored'; filename = 'stored.txt'; text = 'stored' },
                @{ id = 'file-fe-byid'; filename = 'byid.txt'; text = 'by id' })
            $stored = Get-QwenFile -FileId file-fe-stored -BaseUri $script:BaseUri

            $results = @($path, $stored, 'file-fe-byid' | Invoke-QwenDocumentChat -Prompt 'Q' -ThrottleLimit 1 -BaseUri $script:BaseUri)

            $results.Count | Should -Be 3
            ($results | Where-Object Document -EQ $path).Name | Should -BeExactly 'a.txt'
            ($results | Where-Object Document -EQ 'file-fe-stored').Name | Should -BeExactly 'stored.txt'
            ($results | Where-Object Document -EQ 'file-fe-byid').Content | Should -BeExactly 'Answer to: Q [files: file-fe-byid]'
            (Get-Uploads).Count | Should -Be 1
        }

        It 'sends text files inline with -As Text and still uploads a PDF' {
            $folder = New-Folder 'astext'
            $null = Write-Doc $folder 'brief.txt' 'The X1 phone has a 4500 mAh battery.'
            [System.IO.File]::WriteAllBytes((Join-Path $folder 'scan.pdf'), [System.Text.Encoding]::ASCII.GetBytes('%PDF-1.4'))

            $results = @(Get-ChildItem -LiteralPath $folder | Invoke-QwenDocumentChat -Prompt 'Battery?' -As Text -SystemPrompt 'Answer briefly.' -BaseUri $script:BaseUri)

            $results.Count | Should -Be 2
            (Get-Uploads).upload.fileName | Should -BeExactly 'scan.pdf'
            $inline = Get-Chats | Where-Object { $_.bodyJson.messages[1].content -notlike 'fileid://*' }
            $inline.bodyJson.messages[0].content | Should -BeExactly 'Answer briefly.'
            $inline.bodyJson.messages[1].content | Should -BeExactly 'The X1 phone has a 4500 mAh battery.'
            ($results | Where-Object Name -EQ 'brief.txt').FileId | Should -BeNullOrEmpty
        }

        It 'sends nothing with -WhatIf, and needs no key' {
            $folder = New-Folder 'whatif'
            $null = Write-Doc $folder 'a.txt' 'a'
            $saved = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $null
            try {
                $results = @(Get-ChildItem -LiteralPath $folder | Invoke-QwenDocumentChat -Prompt 'Q' -WhatIf -BaseUri $script:BaseUri)
            }
            finally {
                $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $saved
            }

            $results.Count | Should -Be 0
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'deletes what it uploaded with -RemoveAfter, and passes chat parameters on' {
            $folder = New-Folder 'remove'
            $null = Write-Doc $folder 'a.txt' 'a'
            $null = Write-Doc $folder 'b.txt' 'b'

            $results = @(Get-ChildItem -LiteralPath $folder | Invoke-QwenDocumentChat -Prompt 'Q' -RemoveAfter -Temperature 0.2 -MaxTokens 100 -BaseUri $script:BaseUri)

            $results.Count | Should -Be 2
            @(Get-QwenFile -BaseUri $script:BaseUri).Count | Should -Be 0
            @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 2
            foreach ($chat in Get-Chats) {
                $chat.bodyJson.temperature | Should -Be 0.2
                $chat.bodyJson.max_tokens | Should -Be 100
            }
        }

        It 'refuses a piped object of the wrong type, and a missing path, before any request' {
            $err = { New-QwenMessage -Role User -Content 'x' | Invoke-QwenDocumentChat -Prompt 'Q' -BaseUri $script:BaseUri } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidType'
            ({ './no/such/file.txt' | Invoke-QwenDocumentChat -Prompt 'Q' -BaseUri $script:BaseUri } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -BeLike 'FileNotFound,*'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context 'Progress and a stop' {
        It 'reports progress as documents finish, and a stop ends every worker at once keeping what finished' {
            $folder = New-Folder 'stop'
            foreach ($i in 1..8) {
                $null = Write-Doc $folder "doc-$i.txt" "document $i"
            }

            # Two quick answers, then every chat hangs.
            Add-QwenTestBehavior @{ kind = 'default'; path = '/chat/completions' } -Times 2
            Add-QwenTestBehavior @{ kind = 'delay'; delayMs = 60000; path = '/chat/completions' } -Times 10

            $ps = [powershell]::Create()
            # Imported first, on its own: a stopped batch (AddStatement) can leave a work item that touches the closed
            # runspace after Dispose, and that crashed the test host once.
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Join-Path $PSScriptRoot '..' 'QwenPS.psd1')).Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddCommand('Get-ChildItem').AddParameter('LiteralPath', $folder).
                AddCommand('Invoke-QwenDocumentChat').AddParameter('Prompt', 'Q').AddParameter('ThrottleLimit', 3).AddParameter('BaseUri', [uri]$script:BaseUri)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $noInput.Complete()
            $null = $ps.BeginInvoke($noInput, $output)
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ($output.Count -lt 2 -and [datetime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }

            while ((Get-Chats).Count -lt 5 -and [datetime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $progress = @($ps.Streams.Progress | Where-Object Activity -EQ 'Invoke-QwenDocumentChat')
            $ps.Dispose()

            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $output.Count | Should -Be 2
            $output | ForEach-Object { $_.Succeeded | Should -BeTrue }
            $progress.StatusDescription | ForEach-Object { $_ | Should -Match '^\d of 8 documents, [0-3] running, 0 failed$' }
            @($progress.StatusDescription -match '^2 of 8 documents, [1-3] running, 0 failed$').Count | Should -BeGreaterThan 0
            $progress[-1].PercentComplete | Should -Be 25
        }
    }
}
