# Copyright (c) QwenPS contributors. MIT License.
# Add-QwenDocument: documents as text for qwen-long, and the nine document cases through the pipeline, against the
# local test server. The expected messages are the published examples (docs/dashscope-notes.md).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:BaseUri = $script:Session.BaseUri
    $script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)

    function script:Write-Doc([string]$Name, [string]$Text) {
        $path = Join-Path $TestDrive $Name
        [System.IO.File]::WriteAllText($path, $Text, $script:Utf8NoBom)
        $path
    }

    # The messages the server received in the last chat, as compact JSON, to compare with a published example.
    function script:Get-SentMessages {
        $chat = Get-QwenTestLastChatRequest
        ConvertTo-Json -InputObject @($chat.bodyJson.messages | ForEach-Object { [ordered]@{ role = $_.role; content = $_.content } }) -Compress -Depth 5
    }

    function script:ConvertTo-Messages([string]$Json) {
        ConvertTo-Json -InputObject @((ConvertFrom-Json -InputObject $Json).messages | ForEach-Object { [ordered]@{ role = $_.role; content = $_.content } }) -Compress -Depth 5
    }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'The nine document cases through the pipeline' {
    BeforeAll {
        $script:Assistant = 'You are a helpful assistant.'
    }

    BeforeEach {
        Reset-QwenTestServer
        $null = Invoke-QwenTestControl -Method Post -Endpoint 'files' -Body @(
            @{ id = 'file-fe-AAA'; filename = 'a.pdf'; text = 'contract A' },
            @{ id = 'file-fe-BBB'; filename = 'b.pdf'; text = 'contract B' })
    }

    Context 'By file id' {
        It 'single' {
            $null = New-QwenMessage -Role System -Content $script:Assistant |
                Add-QwenFileReference -FileId file-fe-AAA |
                Invoke-QwenChat -Prompt 'What is this document about?' -Model qwen-long -BaseUri $script:BaseUri

            Get-SentMessages | Should -BeExactly (ConvertTo-Messages '{"messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "system", "content": "fileid://file-fe-AAA"},
                {"role": "user", "content": "What is this document about?"}]}')
        }

        It 'several' {
            $null = New-QwenMessage -Role System -Content 'You are a contract reviewer.' |
                Add-QwenFileReference -FileId file-fe-AAA, file-fe-BBB |
                Invoke-QwenChat -Prompt 'List the payment terms that differ between the two contracts.' -Model qwen-long -BaseUri $script:BaseUri

            Get-SentMessages | Should -BeExactly (ConvertTo-Messages '{"messages": [
                {"role": "system", "content": "You are a contract reviewer."},
                {"role": "system", "content": "fileid://file-fe-AAA,fileid://file-fe-BBB"},
                {"role": "user", "content": "List the payment terms that differ between the two contracts."}]}')
        }

        It 'appended in a later turn' {
            $first = New-QwenMessage -Role System -Content $script:Assistant |
                Add-QwenFileReference -FileId file-fe-AAA |
                New-QwenMessage -Role User -Content 'Summarise contract A.'
            $earlier = @($first) + (New-QwenMessage -Role Assistant -Content 'Contract A is a 2-year service agreement…')
            $null = $earlier | Add-QwenFileReference -FileId file-fe-BBB |
                Invoke-QwenChat -Prompt 'Now compare it with contract B.' -Model qwen-long -BaseUri $script:BaseUri

            Get-SentMessages | Should -BeExactly (ConvertTo-Messages '{"messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "system", "content": "fileid://file-fe-AAA"},
                {"role": "user", "content": "Summarise contract A."},
                {"role": "assistant", "content": "Contract A is a 2-year service agreement…"},
                {"role": "system", "content": "fileid://file-fe-BBB"},
                {"role": "user", "content": "Now compare it with contract B."}]}')
        }
    }

    Context 'As plain text' {
        It 'single, from a file' {
            $brief = Write-Doc 'x1.txt' 'Product brief: The X1 phone has a 6.1-inch screen, 4500 mAh battery…'
            $null = New-QwenMessage -Role System -Content $script:Assistant |
                Add-QwenDocument -Path $brief |
                Invoke-QwenChat -Prompt 'What is the battery capacity?' -Model qwen-long -BaseUri $script:BaseUri

            Get-SentMessages | Should -BeExactly (ConvertTo-Messages '{"messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "system", "content": "Product brief: The X1 phone has a 6.1-inch screen, 4500 mAh battery…"},
                {"role": "user", "content": "What is the battery capacity?"}]}')
            @(Get-QwenTestRequest -Path '/files*').Count | Should -Be 0
        }

        It 'several, piped from Get-ChildItem, one system message each' {
            $null = Write-Doc 'briefs-1.txt' 'Product brief X1: 6.1-inch screen, 4500 mAh…'
            $null = Write-Doc 'briefs-2.txt' 'Product brief X2: 6.7-inch screen, 5000 mAh…'
            $system = New-QwenMessage -Role System -Content $script:Assistant
            $documents = Get-ChildItem -Path (Join-Path $TestDrive 'briefs-*.txt') | Sort-Object Name | Add-QwenDocument
            $null = @($system) + @($documents) | Invoke-QwenChat -Prompt 'Which phone has the bigger battery?' -Model qwen-long -BaseUri $script:BaseUri

            Get-SentMessages | Should -BeExactly (ConvertTo-Messages '{"messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "system", "content": "Product brief X1: 6.1-inch screen, 4500 mAh…"},
                {"role": "system", "content": "Product brief X2: 6.7-inch screen, 5000 mAh…"},
                {"role": "user", "content": "Which phone has the bigger battery?"}]}')
        }

        It 'appended in a later turn, from -Text' {
            $answer = New-QwenMessage -Role System -Content $script:Assistant |
                Add-QwenDocument -Text 'Product brief X1: 6.1-inch screen, 4500 mAh…' |
                New-QwenMessage -Role User -Content 'Summarise X1.'
            $earlier = @($answer) + (New-QwenMessage -Role Assistant -Content 'X1 is a compact phone with…')
            $null = $earlier | Add-QwenDocument -Text 'Product brief X2: 6.7-inch screen, 5000 mAh…' |
                Invoke-QwenChat -Prompt 'How does X2 differ?' -Model qwen-long -BaseUri $script:BaseUri

            Get-SentMessages | Should -BeExactly (ConvertTo-Messages '{"messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "system", "content": "Product brief X1: 6.1-inch screen, 4500 mAh…"},
                {"role": "user", "content": "Summarise X1."},
                {"role": "assistant", "content": "X1 is a compact phone with…"},
                {"role": "system", "content": "Product brief X2: 6.7-inch screen, 5000 mAh…"},
                {"role": "user", "content": "How does X2 differ?"}]}')
        }
    }

    Context 'As a JSON string' {
        It 'single, with -Title and -FileName' {
            $null = New-QwenMessage -Role System -Content $script:Assistant |
                Add-QwenDocument -Text 'The X1 phone has a 6.1-inch screen…' -Format Json -FileName x1.docx -Title 'X1 product brief' |
                Invoke-QwenChat -Prompt 'What is the screen size?' -Model qwen-long -BaseUri $script:BaseUri

            Get-SentMessages | Should -BeExactly (ConvertTo-Messages '{"messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "system", "content": "{\"content\": \"The X1 phone has a 6.1-inch screen…\", \"file_type\": \"docx\", \"filename\": \"x1.docx\", \"title\": \"X1 product brief\"}"},
                {"role": "user", "content": "What is the screen size?"}]}')
        }

        It 'several, from files: name and title from each file' {
            $x1 = Write-Doc 'X1.txt' 'X1: 6.1-inch…'
            $x2 = Write-Doc 'X2.txt' 'X2: 6.7-inch…'
            $null = New-QwenMessage -Role System -Content $script:Assistant |
                Add-QwenDocument -LiteralPath $x1, $x2 -Format Json |
                Invoke-QwenChat -Prompt 'Compare X1 and X2.' -Model qwen-long -BaseUri $script:BaseUri

            Get-SentMessages | Should -BeExactly (ConvertTo-Messages '{"messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "system", "content": "{\"content\": \"X1: 6.1-inch…\", \"file_type\": \"txt\", \"filename\": \"X1.txt\", \"title\": \"X1\"}"},
                {"role": "system", "content": "{\"content\": \"X2: 6.7-inch…\", \"file_type\": \"txt\", \"filename\": \"X2.txt\", \"title\": \"X2\"}"},
                {"role": "user", "content": "Compare X1 and X2."}]}')
        }

        It 'appended in a later turn, after a real answer piped back' {
            $response = New-QwenMessage -Role System -Content $script:Assistant |
                Add-QwenDocument -Text 'X1: 6.1-inch…' -Format Json -FileName x1.txt -Title X1 |
                Invoke-QwenChat -Prompt 'Summarise X1.' -Model qwen-long -BaseUri $script:BaseUri
            $null = $response | Add-QwenDocument -Text 'X2: 6.7-inch…' -Format Json -FileName x2.txt -Title X2 |
                Invoke-QwenChat -Prompt 'How does X2 differ?' -BaseUri $script:BaseUri

            $expected = ConvertFrom-Json '{"messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "system", "content": "{\"content\": \"X1: 6.1-inch…\", \"file_type\": \"txt\", \"filename\": \"x1.txt\", \"title\": \"X1\"}"},
                {"role": "user", "content": "Summarise X1."},
                {"role": "assistant", "content": "ANSWER"},
                {"role": "system", "content": "{\"content\": \"X2: 6.7-inch…\", \"file_type\": \"txt\", \"filename\": \"x2.txt\", \"title\": \"X2\"}"},
                {"role": "user", "content": "How does X2 differ?"}]}'
            # The assistant turn is the server's real answer to the first call.
            $expected.messages[3].content = $response.Content
            Get-SentMessages | Should -BeExactly (ConvertTo-Json -InputObject @($expected.messages | ForEach-Object { [ordered]@{ role = $_.role; content = $_.content } }) -Compress -Depth 5)
            (Get-QwenTestLastChatRequest).bodyJson.model | Should -BeExactly 'qwen-long'
        }
    }
}

Describe 'Add-QwenDocument reads text honestly' {
    BeforeEach {
        Reset-QwenTestServer
    }

    It 'reads UTF-8 with and without a BOM and UTF-16 with a BOM to the same text' {
        $text = "Résumé 年度报告 🚀`r`nline two"
        $plain = Join-Path $TestDrive 'plain.txt'
        [System.IO.File]::WriteAllText($plain, $text, $script:Utf8NoBom)
        $bom = Join-Path $TestDrive 'bom.txt'
        [System.IO.File]::WriteAllText($bom, $text, [System.Text.UTF8Encoding]::new($true))
        $utf16 = Join-Path $TestDrive 'utf16.txt'
        [System.IO.File]::WriteAllText($utf16, $text, [System.Text.UnicodeEncoding]::new($false, $true))

        $messages = @(Add-QwenDocument -LiteralPath $plain, $bom, $utf16)

        $messages.Count | Should -Be 3
        $messages | ForEach-Object { $_.Content | Should -BeExactly $text }
        $messages | ForEach-Object { $_.Role | Should -Be ([QwenPS.QwenRole]::System) }
    }

    It 'refuses a PDF before anything else, naming Add-QwenFileReference' {
        $pdf = Join-Path $TestDrive 'report.pdf'
        [System.IO.File]::WriteAllBytes($pdf, [System.Text.Encoding]::ASCII.GetBytes('%PDF-1.7 binary'))

        $err = { Add-QwenDocument -Path $pdf } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'DocumentNotText,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.TargetObject | Should -Be $pdf
        $err.Exception.Message | Should -Match 'Add-QwenFileReference'
        @(Get-QwenTestRequest).Count | Should -Be 0
    }

    It 'refuses binary content under a text name and piped images' {
        $fake = Join-Path $TestDrive 'fake.txt'
        [System.IO.File]::WriteAllBytes($fake, [byte[]](0x50, 0x4B, 0x03, 0x04, 0x14, 0x00))
        $image = Join-Path $TestDrive 'photo.png'
        [System.IO.File]::WriteAllBytes($image, [byte[]](0x89, 0x50, 0x4E, 0x47))

        ({ Add-QwenDocument -LiteralPath $fake } | Should -Throw -PassThru).Exception.Message | Should -Match 'ZIP'
        ({ Get-Item -LiteralPath $image | Add-QwenDocument } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -BeLike 'DocumentNotText,*'
    }

    It 'warns about a document too large to go inline, and still writes it' {
        $large = Join-Path $TestDrive 'large.txt'
        [System.IO.File]::WriteAllText($large, ('x' * 4100000), $script:Utf8NoBom)

        $messages = @(Add-QwenDocument -LiteralPath $large -WarningVariable warnings -WarningAction SilentlyContinue)

        $messages.Count | Should -Be 1
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'large.txt'
        "$($warnings[0])" | Should -Match 'Add-QwenFileReference'
    }

    It 'passes messages through first, then the documents, in order' {
        $output = @(New-QwenMessage -Role System -Content 'Be brief.' | Add-QwenDocument -Text 'one', 'two')

        ($output | ForEach-Object Content) -join '|' | Should -BeExactly 'Be brief.|one|two'
    }

    It 'refuses -Title for several documents, an unmatched wildcard, and a piped string' {
        ({ Add-QwenDocument -Text 'a', 'b' -Title T } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
        ({ Add-QwenDocument -Path (Join-Path $TestDrive 'none-*.txt') } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -BeLike 'FileNotFound,*'
        $piped = { 'some text' | Add-QwenDocument } | Should -Throw -PassThru
        $piped.FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
        $piped.CategoryInfo.Category | Should -Be 'InvalidType'
    }
}
