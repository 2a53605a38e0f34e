# Copyright (c) QwenPS contributors. MIT License.
# Add-QwenFileReference: documents for qwen-long by file id, against the local test server.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:Server = $script:Session.Server
    $script:BaseUri = $script:Session.BaseUri
    $script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)
    $script:FileIdPattern = 'file-fe-[0-9a-f]{32}'
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Add-QwenFileReference' {
    BeforeAll {
        $script:Article = Join-Path $TestDrive 'article.txt'
        [System.IO.File]::WriteAllText($script:Article, "人工智能正在改变软件开发。`n本文介绍通义千问的长文档能力。", $script:Utf8NoBom)
        $script:Notes = Join-Path $TestDrive 'notes.md'
        [System.IO.File]::WriteAllText($script:Notes, "# Notes`n`nqwen-long reads documents by file id.", $script:Utf8NoBom)
        $script:ChineseName = Join-Path $TestDrive '文章.txt'
        [System.IO.File]::WriteAllText($script:ChineseName, '一篇很短的文章。', $script:Utf8NoBom)
        $script:Empty = Join-Path $TestDrive 'empty.txt'
        [System.IO.File]::WriteAllBytes($script:Empty, [byte[]]@())
        $script:Unsupported = Join-Path $TestDrive 'tool.exe'
        [System.IO.File]::WriteAllBytes($script:Unsupported, [byte[]]@(0x4D, 0x5A, 0x90, 0x00))
        $script:Missing = Join-Path $TestDrive 'missing.txt'
    }

    BeforeEach {
        Reset-QwenTestServer
    }

    Context 'Uploading a document and asking about it (scenario 2)' {
        BeforeAll {
            Reset-QwenTestServer
            $output = @(
                New-QwenMessage -Role System -Content 'You are a helpful assistant.' |
                    Add-QwenFileReference -Path $script:Article -BaseUri $script:BaseUri -Verbose 4>&1
            )
            $script:VerboseLines = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
            $script:Messages = @($output | Where-Object { $_ -is [QwenPS.QwenMessage] })
            $script:Reference = $script:Messages[-1]
            $script:FileId = $script:Reference.Content -replace '^fileid://', ''
            $script:UploadRequests = @(Get-QwenTestRequest)

            $script:Answer = $script:Messages |
                New-QwenMessage -Role User -Content '这篇文章讲了什么?' |
                Invoke-QwenChat -Model qwen-long -BaseUri $script:BaseUri
            $script:ChatRequest = @(Get-QwenTestRequest -Method POST -Path '/chat/completions')[-1]
        }

        It 'passes the system message through, then adds one fileid:// system message' {
            $script:Messages.Count | Should -Be 2
            $script:Messages[0].Role | Should -Be ([QwenPS.QwenRole]::System)
            $script:Messages[0].Content | Should -BeExactly 'You are a helpful assistant.'
            $script:Reference.Role | Should -Be ([QwenPS.QwenRole]::System)
            $script:Reference.Content | Should -Match ('^fileid://' + $script:FileIdPattern + '$')
            $script:Reference.IsFileReference | Should -BeTrue
        }

        It 'uploads the file for file-extract, then waits until it is processed' {
            $script:UploadRequests.Count | Should -Be 2
            $script:UploadRequests[0].method | Should -BeExactly 'POST'
            $script:UploadRequests[0].path | Should -BeExactly '/files'
            $script:UploadRequests[0].upload.purpose | Should -BeExactly 'file-extract'
            $script:UploadRequests[0].upload.fileName | Should -BeExactly 'article.txt'
            $script:UploadRequests[0].upload.length | Should -Be (Get-Item -LiteralPath $script:Article).Length
            $script:UploadRequests[1].method | Should -BeExactly 'GET'
            $script:UploadRequests[1].path | Should -BeExactly "/files/$($script:FileId)"
        }

        It 'shows the file id in -Verbose output' {
            ($script:VerboseLines -join "`n") | Should -Match ([regex]::Escape($script:FileId))
        }

        It 'sends the instruction, the file reference and the question, in that order' {
            $sent = @($script:ChatRequest.bodyJson.messages)

            $script:ChatRequest.bodyJson.model | Should -BeExactly 'qwen-long'
            $sent.Count | Should -Be 3
            (($sent | ForEach-Object { $_.role }) -join ',') | Should -BeExactly 'system,system,user'
            $sent[0].content | Should -BeExactly 'You are a helpful assistant.'
            $sent[1].content | Should -BeExactly "fileid://$($script:FileId)"
            $sent[2].content | Should -BeExactly '这篇文章讲了什么?'
        }

        It 'gets an answer that names the file' {
            $script:Answer | Should -BeOfType ([QwenPS.QwenChatResponse])
            $script:Answer.Content | Should -BeExactly "Answer to: 这篇文章讲了什么? [files: $($script:FileId)]"
            $script:Answer.Content.EndsWith("$($script:FileId)]") | Should -BeTrue
        }
    }

    Context 'Several files and file ids' {
        It 'references two uploaded files in one message, in order' {
            $reference = @(Add-QwenFileReference -Path $script:Article, $script:Notes -BaseUri $script:BaseUri)

            $reference.Count | Should -Be 1
            $reference[0].Content | Should -Match ('^fileid://' + $script:FileIdPattern + ',fileid://' + $script:FileIdPattern + '$')
            $uploads = @(Get-QwenTestRequest -Method POST -Path '/files')
            (($uploads | ForEach-Object { $_.upload.fileName }) -join ',') | Should -BeExactly 'article.txt,notes.md'
            $stored = @(Get-QwenFile -BaseUri $script:BaseUri | ForEach-Object { "fileid://$($_.Id)" })
            ($stored -join ',') | Should -BeExactly $reference[0].Content
        }

        It 'builds the message from -FileId without any request' {
            $reference = @(Add-QwenFileReference -FileId 'file-fe-a', 'file-fe-b' -BaseUri $script:BaseUri)

            $reference.Count | Should -Be 1
            $reference[0].Role | Should -Be ([QwenPS.QwenRole]::System)
            $reference[0].Content | Should -BeExactly 'fileid://file-fe-a,fileid://file-fe-b'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'builds the message from -FileId without an API key, after the piped messages' {
            $saved = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $null
            try {
                $output = @(New-QwenMessage -Role System -Content 'Compare them.' | Add-QwenFileReference -FileId 'fileid://file-fe-a')
            }
            finally {
                $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $saved
            }

            $output.Count | Should -Be 2
            $output[0].Content | Should -BeExactly 'Compare them.'
            $output[1].Content | Should -BeExactly 'fileid://file-fe-a'
        }

        It 'keeps a Chinese file name' {
            $null = Add-QwenFileReference -LiteralPath $script:ChineseName -BaseUri $script:BaseUri

            $upload = @(Get-QwenTestRequest -Method POST -Path '/files')
            $upload.Count | Should -Be 1
            $upload[0].upload.fileName | Should -BeExactly '文章.txt'
        }
    }

    Context 'Documents from the pipeline' {
        It 'uploads piped files (Get-ChildItem) and references them in one message, in order' {
            $reference = @(Get-ChildItem -LiteralPath $script:Article, $script:Notes | Add-QwenFileReference -BaseUri $script:BaseUri)

            $reference.Count | Should -Be 1
            $reference[0].Content | Should -Match ('^fileid://' + $script:FileIdPattern + ',fileid://' + $script:FileIdPattern + '$')
            $uploads = @(Get-QwenTestRequest -Method POST -Path '/files')
            (($uploads | ForEach-Object { $_.upload.fileName }) -join ',') | Should -BeExactly 'article.txt,notes.md'
        }

        It 'references stored files piped from Get-QwenFile without uploading them again' {
            $uploaded = Add-QwenFileReference -Path $script:Article -BaseUri $script:BaseUri
            @(Get-QwenTestRequest -Method POST -Path '/files').Count | Should -Be 1

            $reference = @(Get-QwenFile -BaseUri $script:BaseUri | Add-QwenFileReference -BaseUri $script:BaseUri)

            $reference.Count | Should -Be 1
            $reference[0].Content | Should -BeExactly $uploaded.Content
            @(Get-QwenTestRequest -Method POST -Path '/files').Count | Should -Be 1
        }

        It 'passes piped messages through and puts the parameter files before the piped ones' {
            $output = @(
                @((New-QwenMessage -Role System -Content 'Compare them.'), (Get-Item -LiteralPath $script:Notes)) |
                    Add-QwenFileReference -FileId 'file-fe-first' -BaseUri $script:BaseUri
            )

            $output.Count | Should -Be 2
            $output[0].Content | Should -BeExactly 'Compare them.'
            $output[1].Content | Should -Match ('^fileid://file-fe-first,fileid://' + $script:FileIdPattern + '$')
        }

        It 'ends with InvalidArgument for a piped string, before any upload' {
            $err = { $script:Article | Add-QwenFileReference -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'InvalidArgument,*' -PassThru

            $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidType)
            $err.Exception.Message | Should -Match '-Path'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'ends with InvalidArgument when no document is given at all' {
            { New-QwenMessage -Role System -Content 'x' | Add-QwenFileReference -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'InvalidArgument,*'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context '-WhatIf' {
        It 'uploads nothing and still passes the piped messages through' {
            $output = @(
                New-QwenMessage -Role System -Content 'You are a helpful assistant.' |
                    Add-QwenFileReference -Path $script:Article -BaseUri $script:BaseUri -WhatIf
            )

            $output.Count | Should -Be 1
            $output[0].Content | Should -BeExactly 'You are a helpful assistant.'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context 'Files that cannot be sent' {
        It 'fails with FileNotFound before any request (-Path)' {
            $err = { Add-QwenFileReference -Path $script:Missing -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'FileNotFound,*' -PassThru

            $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'fails with FileNotFound before any request (-LiteralPath)' {
            { Add-QwenFileReference -LiteralPath $script:Missing -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'FileNotFound,*'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'uploads none of the files when one of them is missing' {
            { Add-QwenFileReference -Path $script:Article, $script:Missing -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'FileNotFound,*'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'fails before any piped message flows' {
            $passed = [System.Collections.Generic.List[object]]::new()
            {
                New-QwenMessage -Role System -Content 'x' |
                    Add-QwenFileReference -Path $script:Missing -BaseUri $script:BaseUri |
                    ForEach-Object { $passed.Add($_) }
            } | Should -Throw -ErrorId 'FileNotFound,*'

            $passed.Count | Should -Be 0
        }

        It 'fails with UnsupportedFileType for an extension qwen-long cannot read' {
            $err = { Add-QwenFileReference -Path $script:Unsupported -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'UnsupportedFileType,*' -PassThru

            $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'fails with FileEmpty for an empty file' {
            { Add-QwenFileReference -Path $script:Empty -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'FileEmpty,*'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'fails with FileProcessingFailed when the service cannot parse the file' {
            $null = Set-QwenTestServerOption @{ finalStatus = 'error'; finalStatusDetails = 'File parsing failed.' }

            $err = { Add-QwenFileReference -Path $script:Article -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'FileProcessingFailed,*' -PassThru

            $err.Exception.Message | Should -Match 'File parsing failed'
        }
    }
}
