# Copyright (c) QwenPS contributors. MIT License.
# Get-QwenFile and Remove-QwenFile (the Files API) against the local test server.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:Server = $script:Session.Server
    $script:BaseUri = $script:Session.BaseUri
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Files API cmdlets' {
    BeforeAll {
        $encoding = [System.Text.UTF8Encoding]::new($false)
        $script:Alpha = Join-Path $TestDrive 'alpha.txt'
        [System.IO.File]::WriteAllText($script:Alpha, 'alpha document', $encoding)
        $script:Beta = Join-Path $TestDrive 'beta.csv'
        [System.IO.File]::WriteAllText($script:Beta, "name,value`nbeta,2`n", $encoding)
    }

    BeforeEach {
        # Two processed files on a clean server; the uploads are recorded, so count later requests by method.
        Reset-QwenTestServer
        $reference = Add-QwenFileReference -Path $script:Alpha, $script:Beta -BaseUri $script:BaseUri
        $script:Ids = @($reference.Content -split ',' | ForEach-Object { $_ -replace '^fileid://', '' })
    }

    Context 'Get-QwenFile' {
        It 'lists the uploaded files, in upload order' {
            $files = @(Get-QwenFile -BaseUri $script:BaseUri)

            $files.Count | Should -Be 2
            foreach ($file in $files) {
                $file | Should -BeOfType ([QwenPS.QwenFileInfo])
                $file.Status | Should -BeExactly 'processed'
                $file.Purpose | Should -BeExactly 'file-extract'
            }

            (($files | ForEach-Object { $_.Id }) -join ',') | Should -BeExactly ($script:Ids -join ',')
            $files[0].FileName | Should -BeExactly 'alpha.txt'
            $files[0].Bytes | Should -Be (Get-Item -LiteralPath $script:Alpha).Length
            $files[0].FileReference | Should -BeExactly "fileid://$($script:Ids[0])"
            $files[1].FileName | Should -BeExactly 'beta.csv'
        }

        It 'asks for the list with GET /files' {
            $null = Get-QwenFile -BaseUri $script:BaseUri

            $list = @(Get-QwenTestRequest -Method GET -Path '/files')
            $list.Count | Should -Be 1
            $list[0].query | Should -Match 'limit='
        }

        It 'filters by -Purpose' {
            @(Get-QwenFile -Purpose 'file-extract' -BaseUri $script:BaseUri).Count | Should -Be 2
            @(Get-QwenFile -Purpose 'batch' -BaseUri $script:BaseUri).Count | Should -Be 0

            $last = @(Get-QwenTestRequest -Method GET -Path '/files')[-1]
            $last.query | Should -Match 'purpose=batch'
        }

        It 'gets one file with -FileId' {
            $file = @(Get-QwenFile -FileId $script:Ids[1] -BaseUri $script:BaseUri)

            $file.Count | Should -Be 1
            $file[0].Id | Should -BeExactly $script:Ids[1]
            $file[0].FileName | Should -BeExactly 'beta.csv'
            $file[0].Status | Should -BeExactly 'processed'
            @(Get-QwenTestRequest -Method GET -Path "/files/$($script:Ids[1])").Count | Should -BeGreaterThan 0
        }

        It 'reports NotFound for an unknown id as a non-terminating error and goes on with the others' {
            $found = @(Get-QwenFile -FileId 'file-fe-doesnotexist', $script:Ids[0] -BaseUri $script:BaseUri -ErrorAction SilentlyContinue -ErrorVariable getErrors)

            $getErrors.Count | Should -Be 1
            $getErrors[0].FullyQualifiedErrorId | Should -BeLike 'NotFound,*'
            $getErrors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $getErrors[0].TargetObject | Should -BeExactly 'file-fe-doesnotexist'
            $found.Count | Should -Be 1
            $found[0].Id | Should -BeExactly $script:Ids[0]
        }

        It 'stops at an unknown id with -ErrorAction Stop' {
            { Get-QwenFile -FileId 'file-fe-doesnotexist' -BaseUri $script:BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'NotFound,*'
        }
    }

    Context 'Remove-QwenFile' {
        It 'deletes nothing with -WhatIf' {
            Remove-QwenFile -FileId $script:Ids[0] -BaseUri $script:BaseUri -WhatIf

            @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 0
            @(Get-QwenFile -BaseUri $script:BaseUri).Count | Should -Be 2
        }

        It 'needs no API key for -WhatIf' {
            $saved = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $null
            try {
                { Remove-QwenFile -FileId $script:Ids[0] -BaseUri $script:BaseUri -WhatIf } | Should -Not -Throw
            }
            finally {
                $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $saved
            }

            @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 0
        }

        It 'deletes a file' {
            $output = @(Remove-QwenFile -FileId $script:Ids[0] -BaseUri $script:BaseUri -Confirm:$false)

            $output.Count | Should -Be 0
            $deletes = @(Get-QwenTestRequest -Method DELETE)
            $deletes.Count | Should -Be 1
            $deletes[0].path | Should -BeExactly "/files/$($script:Ids[0])"
            $deletes[0].responseStatus | Should -Be 200
            (@(Get-QwenFile -BaseUri $script:BaseUri | ForEach-Object { $_.Id }) -join ',') | Should -BeExactly $script:Ids[1]
        }

        It 'deletes every file piped from Get-QwenFile' {
            Get-QwenFile -BaseUri $script:BaseUri | Remove-QwenFile -BaseUri $script:BaseUri -Confirm:$false

            $deletes = @(Get-QwenTestRequest -Method DELETE)
            $deletes.Count | Should -Be 2
            (($deletes | ForEach-Object { $_.path }) -join ',') | Should -BeExactly (($script:Ids | ForEach-Object { "/files/$_" }) -join ',')
            @(Get-QwenFile -BaseUri $script:BaseUri).Count | Should -Be 0
        }

        It 'reports an unknown id and goes on with the others' {
            Remove-QwenFile -FileId 'file-fe-doesnotexist', $script:Ids[0] -BaseUri $script:BaseUri -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable removeErrors

            $removeErrors.Count | Should -Be 1
            $removeErrors[0].FullyQualifiedErrorId | Should -BeLike 'NotFound,*'
            $removeErrors[0].TargetObject | Should -BeExactly 'file-fe-doesnotexist'
            @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 2
            (@(Get-QwenFile -BaseUri $script:BaseUri | ForEach-Object { $_.Id }) -join ',') | Should -BeExactly $script:Ids[1]
        }
    }
}
