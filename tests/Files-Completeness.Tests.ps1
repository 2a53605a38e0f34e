# Copyright (c) QwenPS contributors. MIT License.
# The Files API, completely: Get-QwenFile filters and paging, Remove-QwenFile by pipe and by filter, and
# Save-QwenFileContent, against the local test server.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:BaseUri = $script:Session.BaseUri

    # Five files around 2025-11-12 (UTC), of two purposes.
    function script:Add-SeededFiles {
        $day = [DateTimeOffset]::new(2025, 11, 12, 0, 0, 0, [TimeSpan]::Zero)
        $null = Invoke-QwenTestControl -Method Post -Endpoint 'files' -Body @(
            @{ id = 'file-fe-old'; filename = 'old.txt'; text = 'old'; createdAt = $day.AddDays(-2).ToUnixTimeSeconds() },
            @{ id = 'file-fe-a'; filename = 'a-report.pdf'; text = 'a'; createdAt = $day.AddHours(10).ToUnixTimeSeconds() },
            @{ id = 'file-batch-b'; filename = 'b.jsonl'; text = 'b'; purpose = 'batch'; createdAt = $day.AddHours(11).ToUnixTimeSeconds() },
            @{ id = 'file-fe-c'; filename = 'c-report.pdf'; text = 'c'; createdAt = $day.AddHours(12).ToUnixTimeSeconds() },
            @{ id = 'file-fe-new'; filename = 'new.txt'; text = 'new'; createdAt = $day.AddDays(2).ToUnixTimeSeconds() })
    }

    $script:Day = [DateTime]::SpecifyKind([DateTime]'2025-11-12', 'Utc')
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Get-QwenFile filters and paging' {
    BeforeEach {
        Reset-QwenTestServer
        Add-SeededFiles
    }

    It 'filters by purpose and by a creation-date range, exactly' {
        (Get-QwenFile -Purpose file-extract -BaseUri $script:BaseUri).Id -join ',' | Should -BeExactly 'file-fe-old,file-fe-a,file-fe-c,file-fe-new'
        (Get-QwenFile -CreatedAfter $script:Day -CreatedBefore $script:Day.AddDays(1) -BaseUri $script:BaseUri).Id -join ',' | Should -BeExactly 'file-fe-a,file-batch-b,file-fe-c'
        (Get-QwenFile -CreatedAfter $script:Day.AddHours(11) -BaseUri $script:BaseUri).Id -join ',' | Should -BeExactly 'file-batch-b,file-fe-c,file-fe-new'
    }

    It 'asks the service for the range widened by a day, in a documented date form' {
        $null = Get-QwenFile -CreatedAfter $script:Day -CreatedBefore $script:Day.AddDays(1) -Purpose file-extract -BaseUri $script:BaseUri
        $query = (Get-QwenTestRequest -Method GET -Path '/files')[0].query
        $query | Should -Match 'create_after=20251111000000'
        $query | Should -Match 'create_before=20251114000000'
        $query | Should -Match 'purpose=file-extract'
    }

    It 'follows the pages, starts after -After, and stops asking once -First has enough' {
        (Get-QwenFile -PageSize 2 -BaseUri $script:BaseUri).Id -join ',' | Should -BeExactly 'file-fe-old,file-fe-a,file-batch-b,file-fe-c,file-fe-new'
        @(Get-QwenTestRequest -Method GET -Path '/files').Count | Should -Be 3

        Reset-QwenTestServer
        Add-SeededFiles
        (Get-QwenFile -After file-fe-a -PageSize 2 -First 2 -BaseUri $script:BaseUri).Id -join ',' | Should -BeExactly 'file-batch-b,file-fe-c'
        $requests = @(Get-QwenTestRequest -Method GET -Path '/files')
        $requests.Count | Should -Be 1
        $requests[0].query | Should -Match 'after=file-fe-a'
    }

    It 'skips with -Skip and counts with -IncludeTotalCount' {
        $out = @(Get-QwenFile -Purpose file-extract -Skip 1 -First 2 -IncludeTotalCount -BaseUri $script:BaseUri)
        ($out | Where-Object { $_ -is [QwenPS.QwenFileInfo] }).Id -join ',' | Should -BeExactly 'file-fe-a,file-fe-c'
        ($out | Where-Object { $_ -isnot [QwenPS.QwenFileInfo] }).ToString() | Should -Match '4'
    }

    It 'refuses a range that ends before it starts, before any request' {
        ({ Get-QwenFile -CreatedAfter $script:Day -CreatedBefore $script:Day.AddDays(-1) -BaseUri $script:BaseUri } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
        @(Get-QwenTestRequest).Count | Should -Be 0
    }
}

Describe 'Remove-QwenFile by pipe and by filter' {
    BeforeEach {
        Reset-QwenTestServer
        Add-SeededFiles
    }

    It 'deletes what Get-QwenFile pipes in, and only that' {
        Get-QwenFile -Purpose batch -BaseUri $script:BaseUri | Remove-QwenFile -BaseUri $script:BaseUri -Confirm:$false

        (Get-QwenFile -BaseUri $script:BaseUri).Id -join ',' | Should -BeExactly 'file-fe-old,file-fe-a,file-fe-c,file-fe-new'
        (Get-QwenTestRequest -Method DELETE).path | Should -BeExactly '/files/file-batch-b'
    }

    It 'deletes nothing with -WhatIf when files are piped' {
        Get-QwenFile -Purpose file-extract -BaseUri $script:BaseUri | Remove-QwenFile -WhatIf -BaseUri $script:BaseUri
        @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 0
        @(Get-QwenFile -BaseUri $script:BaseUri).Count | Should -Be 5
    }

    It 'deletes by purpose, dates and name wildcard, each with ShouldProcess' {
        Remove-QwenFile -Purpose file-extract -FileName '*-report.pdf' -CreatedBefore $script:Day.AddHours(11) -BaseUri $script:BaseUri -Confirm:$false

        (Get-QwenTestRequest -Method DELETE).path | Should -BeExactly '/files/file-fe-a'
        (Get-QwenFile -BaseUri $script:BaseUri).Id -join ',' | Should -BeExactly 'file-fe-old,file-batch-b,file-fe-c,file-fe-new'

        Remove-QwenFile -FileName '*.txt' -WhatIf -BaseUri $script:BaseUri
        @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 1
    }

    It 'refuses an empty date range before deleting anything' {
        ({ Remove-QwenFile -CreatedAfter $script:Day -CreatedBefore $script:Day -BaseUri $script:BaseUri -Confirm:$false } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
        @(Get-QwenTestRequest -Method DELETE).Count | Should -Be 0
    }
}

Describe 'Save-QwenFileContent' {
    BeforeEach {
        Reset-QwenTestServer
        $script:Lines = (1..3 | ForEach-Object { '{"custom_id":"r-' + $_ + '","response":{"status_code":200}}' }) -join "`n"
        $null = Invoke-QwenTestControl -Method Post -Endpoint 'files' -Body @(
            @{ id = 'file-batch_output-1'; filename = 'result.jsonl'; text = $script:Lines; purpose = 'batch_output' },
            @{ id = 'file-batch_output-2'; filename = 'other.jsonl'; text = 'second'; purpose = 'batch_output' })
        $null = Invoke-QwenTestControl -Method Post -Endpoint 'file-rules' -Body @{ downloadOnlyBatchResults = $true }
        $script:Out = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $script:Out
    }

    It 'saves into a folder under the stored name, byte for byte' {
        $file = Save-QwenFileContent -FileId file-batch_output-1 -Path $script:Out -PassThru -BaseUri $script:BaseUri

        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.Name | Should -BeExactly 'result.jsonl'
        [System.IO.File]::ReadAllText($file.FullName) | Should -BeExactly $script:Lines
        @(Get-ChildItem -LiteralPath $script:Out).Count | Should -Be 1
    }

    It 'saves piped stored files and keeps going past one that cannot be downloaded' {
        $null = Invoke-QwenTestControl -Method Post -Endpoint 'files' -Body @{ id = 'file-fe-doc'; filename = 'doc.txt'; text = 'doc' }
        $files = @(Get-QwenFile -BaseUri $script:BaseUri | Save-QwenFileContent -Path $script:Out -PassThru -BaseUri $script:BaseUri -ErrorVariable failures -ErrorAction SilentlyContinue)

        ($files.Name | Sort-Object) -join ',' | Should -BeExactly 'other.jsonl,result.jsonl'
        $failures.Count | Should -Be 1
        $failures[0].TargetObject | Should -BeExactly 'file-fe-doc'
        $failures[0].Exception.Message | Should -Match 'batch_output'
        Test-Path -LiteralPath (Join-Path $script:Out 'doc.txt') | Should -BeFalse
    }

    It 'keeps an existing file unless -Force, then replaces it' {
        $target = Join-Path $script:Out 'mine.jsonl'
        Set-Content -LiteralPath $target -Value 'mine' -NoNewline

        { Save-QwenFileContent file-batch_output-1 -Path $target -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'DestinationExists*'
        Get-Content -LiteralPath $target -Raw | Should -BeExactly 'mine'

        Save-QwenFileContent file-batch_output-1 -Path $target -Force -BaseUri $script:BaseUri
        [System.IO.File]::ReadAllText($target) | Should -BeExactly $script:Lines
    }

    It 'leaves nothing behind when the download breaks, and says so' {
        Add-QwenTestBehavior @{ kind = 'rawBody'; status = 200; contentType = 'application/octet-stream'; path = '/files/file-batch_output-1/content'; segments = @(@{ text = '{"custom_id":"r-1"'; }, @{ flush = $true }, @{ abort = $true }) }
        $target = Join-Path $script:Out 'cut.jsonl'

        $err = { Save-QwenFileContent file-batch_output-1 -Path $target -MaxRetry 0 -BaseUri $script:BaseUri -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'StreamInterrupted*'
        $err.Exception.Message | Should -Match 'byte\(s\) had arrived'
        @(Get-ChildItem -LiteralPath $script:Out).Count | Should -Be 0
    }

    It 'streams a large file to disk' {
        $null = Invoke-QwenTestControl -Method Post -Endpoint 'config' -Body @{ maxKeptBytes = 20MB }
        $big = [byte[]]::new(12MB)
        [System.Random]::new(7).NextBytes($big)
        $null = Invoke-QwenTestControl -Method Post -Endpoint 'files' -Body @{ id = 'file-batch_output-big'; filename = 'big.jsonl'; base64 = [Convert]::ToBase64String($big); purpose = 'batch_output' }

        $file = Save-QwenFileContent file-batch_output-big -Path $script:Out -PassThru -BaseUri $script:BaseUri

        $file.Length | Should -Be $big.Length
        (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash | Should -BeExactly ([System.BitConverter]::ToString([System.Security.Cryptography.SHA256]::HashData($big)) -replace '-', '')
    }
}
