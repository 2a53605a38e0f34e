# Copyright (c) QwenPS contributors. MIT License.
# Multimodal input (images, audio, video, frames) and Qwen-Omni audio answers, case by case as in the service's
# Omni guide: image + text, audio + text, video file, video frames, multi-turn; audio out to a WAV file.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession -ApiKey 'sk-pester-fake-0000000000'
    $script:BaseUri = $script:Session.BaseUri

    function Save-Bytes([string]$Name, [byte[]]$Bytes) {
        $path = Join-Path $TestDrive $Name
        [System.IO.File]::WriteAllBytes($path, $Bytes)
        $path
    }

    function New-TestPng([string]$Name = 'cat.png', [int]$Width = 64, [int]$Height = 48) {
        $b = [byte[]]::new(33)
        [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52) | ForEach-Object -Begin { $i = 0 } -Process { $b[$i++] = $_ }
        [byte[]]$w = [BitConverter]::GetBytes([uint32]$Width); [array]::Reverse($w); $w.CopyTo($b, 16)
        [byte[]]$h = [BitConverter]::GetBytes([uint32]$Height); [array]::Reverse($h); $h.CopyTo($b, 20)
        $b[24] = 8; $b[25] = 2
        Save-Bytes $Name $b
    }

    function New-TestWav([string]$Name = 'question.wav', [double]$Seconds = 1.5, [int]$Rate = 16000) {
        $data = [int]($Seconds * $Rate) * 2
        $stream = [System.IO.MemoryStream]::new()
        $w = [System.IO.BinaryWriter]::new($stream)
        $w.Write([Text.Encoding]::ASCII.GetBytes('RIFF')); $w.Write([int](36 + $data)); $w.Write([Text.Encoding]::ASCII.GetBytes('WAVEfmt '))
        $w.Write([int]16); $w.Write([int16]1); $w.Write([int16]1); $w.Write([int]$Rate); $w.Write([int]($Rate * 2)); $w.Write([int16]2); $w.Write([int16]16)
        $w.Write([Text.Encoding]::ASCII.GetBytes('data')); $w.Write([int]$data); $w.Write([byte[]]::new($data)); $w.Flush()
        Save-Bytes $Name $stream.ToArray()
    }

    function New-TestMp4([string]$Name = 'clip.mp4', [double]$Seconds = 12) {
        $box = {
            param([string]$Type, [byte[]]$Body)
            [byte[]]$size = [BitConverter]::GetBytes([uint32](8 + $Body.Length)); [array]::Reverse($size)
            $size + [Text.Encoding]::ASCII.GetBytes($Type) + $Body
        }
        $mvhd = [byte[]]::new(100)
        [byte[]]$scale = [BitConverter]::GetBytes([uint32]1000); [array]::Reverse($scale); $scale.CopyTo($mvhd, 12)
        [byte[]]$length = [BitConverter]::GetBytes([uint32]($Seconds * 1000)); [array]::Reverse($length); $length.CopyTo($mvhd, 16)
        $bytes = (& $box 'ftyp' ([Text.Encoding]::ASCII.GetBytes('isom' + "`0`0`2`0" + 'isomiso2mp41'))) + (& $box 'moov' (& $box 'mvhd' $mvhd)) + (& $box 'mdat' ([byte[]]::new(64)))
        Save-Bytes $Name ([byte[]]$bytes)
    }

    function ConvertTo-DataUrl([string]$Path, [string]$Mime) {
        'data:' + $Mime + ';base64,' + [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($Path))
    }

    # The test server's tone: sample k = round(8000 · sin(2π · 440 · k / 24000)) (tests/QwenPS.TestServer/Omni/README.md).
    function Get-ToneSample([long]$K) { [int16][Math]::Round(8000 * [Math]::Sin(2 * [Math]::PI * 440 * $K / 24000)) }

    function Read-Wav([string]$Path) {
        $b = [System.IO.File]::ReadAllBytes($Path)
        [pscustomobject]@{
            Riff       = [Text.Encoding]::ASCII.GetString($b, 0, 4)
            RiffSize   = [BitConverter]::ToUInt32($b, 4)
            Wave       = [Text.Encoding]::ASCII.GetString($b, 8, 8)
            Format     = [BitConverter]::ToInt16($b, 20)
            Channels   = [BitConverter]::ToInt16($b, 22)
            SampleRate = [BitConverter]::ToInt32($b, 24)
            ByteRate   = [BitConverter]::ToInt32($b, 28)
            BlockAlign = [BitConverter]::ToInt16($b, 32)
            Bits       = [BitConverter]::ToInt16($b, 34)
            DataId     = [Text.Encoding]::ASCII.GetString($b, 36, 4)
            DataSize   = [BitConverter]::ToUInt32($b, 40)
            FileLength = $b.Length
            Bytes      = $b
        }
    }

    function Get-WavSample($Wav, [long]$K) { [BitConverter]::ToInt16($Wav.Bytes, 44 + 2 * $K) }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'Multimodal input and audio answers' {
    BeforeEach {
        Reset-QwenTestServer
    }

    Context 'Image + text' {
        It 'sends a local image as a data URL part before the text, streamed for Omni' {
            $png = New-TestPng
            $response = New-QwenMessage -Role User -Content 'What is in this picture?' -Image $png |
                Invoke-QwenChat -Model qwen3-omni-flash -BaseUri $script:BaseUri
            $body = (Get-QwenTestLastChatRequest).bodyJson

            $response.Content | Should -BeExactly 'Answer to: What is in this picture?'
            $body.stream | Should -BeTrue
            $parts = @($body.messages[0].content)
            $parts.Count | Should -Be 2
            $parts[0].type | Should -BeExactly 'image_url'
            $parts[0].image_url.url | Should -BeExactly (ConvertTo-DataUrl $png 'image/png')
            $parts[1].type | Should -BeExactly 'text'
            $parts[1].text | Should -BeExactly 'What is in this picture?'
            (Get-QwenTestLastChatRequest).bodyText | Should -Match '"content":\[\{"type":"image_url","image_url":\{"url":"data:image/png;base64,'
        }

        It 'passes image URLs through unchanged, several in one message, and works for vision models unstreamed' {
            $null = New-QwenMessage -Role User -Content 'Compare them.' -Image 'https://example.com/a.jpg', 'https://example.com/b.png?x=1' |
                Invoke-QwenChat -Model qwen3-vl-plus -BaseUri $script:BaseUri
            $body = (Get-QwenTestLastChatRequest).bodyJson

            $body.PSObject.Properties.Name | Should -Not -Contain 'stream'
            @($body.messages[0].content).image_url.url | Should -Be @('https://example.com/a.jpg', 'https://example.com/b.png?x=1')
        }

        It 'names the file by what its bytes are, not its extension' {
            $jpeg = Save-Bytes 'really-a-jpeg.png' ([byte[]](0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0, 1, 0xFF, 0xD9))
            $message = New-QwenMessage -Role User -Content 'x' -Image $jpeg

            $null = $message | Invoke-QwenChat -Model qwen-vl-max -BaseUri $script:BaseUri
            @((Get-QwenTestLastChatRequest).bodyJson.messages[0].content)[0].image_url.url | Should -BeLike 'data:image/jpeg;base64,*'
        }
    }

    Context 'Audio + text' {
        It 'sends an input_audio part with the container format' {
            $wav = New-TestWav
            $null = New-QwenMessage -Role User -Content 'Answer the spoken question.' -Audio $wav |
                Invoke-QwenChat -Model qwen3-omni-flash -BaseUri $script:BaseUri
            $part = @((Get-QwenTestLastChatRequest).bodyJson.messages[0].content)[0]

            $part.type | Should -BeExactly 'input_audio'
            $part.input_audio.data | Should -BeExactly ('data:;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes($wav)))
            $part.input_audio.format | Should -BeExactly 'wav'
        }

        It 'refuses audio longer than the model takes, before any request, naming the limit' {
            $long = New-TestWav -Name 'long.wav' -Seconds 181 -Rate 8000
            $err = { New-QwenMessage -Role User -Content 'x' -Audio $long | Invoke-QwenChat -Model qwen-omni-turbo -BaseUri $script:BaseUri } |
                Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeLike 'MediaLimitExceeded,*'
            $err.Exception.Message | Should -Match '3 min'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context 'Video file' {
        It 'sends a video_url part' {
            $mp4 = New-TestMp4
            $null = New-QwenMessage -Role User -Content 'What happens?' -Video $mp4 | Invoke-QwenChat -Model qwen3-omni-flash -BaseUri $script:BaseUri
            $part = @((Get-QwenTestLastChatRequest).bodyJson.messages[0].content)[0]

            $part.type | Should -BeExactly 'video_url'
            $part.video_url.url | Should -BeExactly ('data:;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes($mp4)))
        }

        It 'passes a video URL through' {
            $null = New-QwenMessage -Role User -Content 'What happens?' -Video 'https://example.com/clip.mp4' | Invoke-QwenChat -Model qwen3-omni-flash -BaseUri $script:BaseUri

            @((Get-QwenTestLastChatRequest).bodyJson.messages[0].content)[0].video_url.url | Should -BeExactly 'https://example.com/clip.mp4'
        }
    }

    Context 'Video as frames' {
        It 'sends the images as one video part, in order' {
            $f1 = New-TestPng -Name 'f1.png'
            $f2 = New-TestPng -Name 'f2.png' -Width 32
            $null = New-QwenMessage -Role User -Content 'Describe the scene.' -VideoFrame $f1, $f2, 'https://example.com/f3.jpg' |
                Invoke-QwenChat -Model qwen3-omni-flash -BaseUri $script:BaseUri
            $part = @((Get-QwenTestLastChatRequest).bodyJson.messages[0].content)[0]

            $part.type | Should -BeExactly 'video'
            @($part.video) | Should -Be @((ConvertTo-DataUrl $f1 'image/png'), (ConvertTo-DataUrl $f2 'image/png'), 'https://example.com/f3.jpg')
        }

        It 'refuses a frame count the model does not take, before any request' {
            $frames = 1..3 | ForEach-Object { "https://example.com/f$_.jpg" }
            $err = { New-QwenMessage -Role User -Content 'x' -VideoFrame $frames | Invoke-QwenChat -Model qwen-omni-turbo -BaseUri $script:BaseUri } |
                Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeLike 'MediaLimitExceeded,*'
            $err.Exception.Message | Should -Match '4 to 80 frames'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context 'Multi-turn' {
        It 'sends the earlier answer as text only and keeps the earlier image' {
            $png = New-TestPng
            $first = New-QwenMessage -Role User -Content 'What is this?' -Image $png |
                Invoke-QwenChat -Model qwen3-omni-flash -Modality Text, Audio -Voice Cherry -AudioPath (Join-Path $TestDrive 'one.wav') -BaseUri $script:BaseUri
            $null = $first | Invoke-QwenChat -Prompt 'And its colour?' -BaseUri $script:BaseUri
            $messages = @((Get-QwenTestLastChatRequest).bodyJson.messages)

            $messages.Count | Should -Be 3
            @($messages[0].content)[0].image_url.url | Should -BeExactly (ConvertTo-DataUrl $png 'image/png')
            $messages[1].role | Should -BeExactly 'assistant'
            $messages[1].content | Should -BeExactly 'Answer to: What is this?'
            $messages[1].PSObject.Properties.Name | Should -Not -Contain 'audio'
            $messages[2].content | Should -BeExactly 'And its colour?'
        }

        It 'drops the media of earlier turns with -DropMedia' {
            $first = New-QwenMessage -Role User -Content 'What is this?' -Image 'https://example.com/cat.png' |
                Invoke-QwenChat -Model qwen3-omni-flash -BaseUri $script:BaseUri
            $null = $first | New-QwenMessage -Role User -Content 'And this?' -Image 'https://example.com/dog.png' |
                Invoke-QwenChat -DropMedia -BaseUri $script:BaseUri
            $messages = @((Get-QwenTestLastChatRequest).bodyJson.messages)

            $messages[0].content | Should -BeExactly 'What is this?'
            @($messages[2].content)[0].image_url.url | Should -BeExactly 'https://example.com/dog.png'
        }
    }

    Context 'Audio answers' {
        It 'asks for text and audio in the chosen voice and writes the spoken answer as a valid WAV' {
            $path = Join-Path $TestDrive 'answer.wav'
            $response = Invoke-QwenChat -Prompt 'Hi' -Model qwen3-omni-flash -Modality Text, Audio -Voice Cherry -AudioPath $path -BaseUri $script:BaseUri
            $body = (Get-QwenTestLastChatRequest).bodyJson

            @($body.modalities) | Should -Be @('text', 'audio')
            $body.audio.voice | Should -BeExactly 'Cherry'
            $body.audio.format | Should -BeExactly 'wav'
            $body.stream | Should -BeTrue
            $response.Content | Should -BeExactly 'Answer to: Hi'
            $response.AudioPath | Should -BeExactly $path

            # "Answer to: Hi" = 13 characters = 1.3 s = 31,200 samples at 24 kHz.
            $wav = Read-Wav $path
            $wav.Riff | Should -BeExactly 'RIFF'
            $wav.Wave | Should -BeExactly 'WAVEfmt '
            $wav.DataId | Should -BeExactly 'data'
            $wav.Format, $wav.Channels, $wav.SampleRate, $wav.ByteRate, $wav.BlockAlign, $wav.Bits | Should -Be @(1, 1, 24000, 48000, 2, 16)
            $wav.DataSize | Should -Be (31200 * 2)
            $wav.RiffSize | Should -Be (36 + 31200 * 2)
            $wav.FileLength | Should -Be (44 + 31200 * 2)
            $response.AudioDuration | Should -Be ([TimeSpan]::FromSeconds(1.3))
            foreach ($k in 0, 1, 7, 13, 12345, 31199) {
                Get-WavSample $wav $k | Should -Be (Get-ToneSample $k) -Because "sample $k is the tone"
            }
        }

        It 'writes QwenAudioChunk records with -Stream, and the text once though the transcript repeats it' {
            $path = Join-Path $TestDrive 'streamed.wav'
            $records = @(Invoke-QwenChat -Prompt 'Hi' -Model qwen3-omni-flash -Modality Text, Audio -AudioPath $path -Stream -BaseUri $script:BaseUri)
            $audio = @($records | Where-Object { $_ -is [QwenPS.QwenAudioChunk] })

            (-join @($records | Where-Object { $_ -is [QwenPS.QwenContentChunk] } | ForEach-Object Text)) | Should -BeExactly 'Answer to: Hi'
            $audio.Count | Should -BeGreaterThan 5
            ($audio | Measure-Object -Property Bytes -Sum).Sum | Should -Be (31200 * 2)
            $audio[-1].TotalBytes | Should -Be (31200 * 2)
            $audio[-1].Duration | Should -Be ([TimeSpan]::FromSeconds(1.3))
            $audio[-1].Path | Should -BeExactly $path
            $durations = @($audio | ForEach-Object { $_.Duration.Ticks })
            ($durations | Sort-Object) -join ',' | Should -BeExactly ($durations -join ',')
        }

        It 'leaves a valid shorter WAV when the stream is cut, and says so' {
            Add-QwenTestBehavior @{ kind = 'audio'; seconds = 3; cutAfterAudioPieces = 3 }
            $path = Join-Path $TestDrive 'cut.wav'
            $err = { Invoke-QwenChat -Prompt 'Hi' -Model qwen3-omni-flash -Modality Text, Audio -AudioPath $path -BaseUri $script:BaseUri -ErrorAction Stop } |
                Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeLike 'StreamInterrupted,*'
            $err.Exception.Message | Should -Match ([regex]::Escape($path))
            # 4097 + 1 + 2 base64 chars = 1025 whole quads = 3075 bytes = 1537 whole samples.
            $wav = Read-Wav $path
            $wav.DataSize | Should -Be 3074
            $wav.FileLength | Should -Be (44 + 3074)
            Get-WavSample $wav 1536 | Should -Be (Get-ToneSample 1536)
        }
    }

    Context 'Refused before any request' {
        It 'refuses two modalities in one message' {
            $err = { New-QwenMessage -Role User -Content 'x' -Image 'https://example.com/a.png' -Audio 'https://example.com/b.mp3' } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
            $err.Exception.Message | Should -Match 'at most one other modality'
        }

        It 'refuses media on a message that is not from the user' {
            { New-QwenMessage -Role Assistant -Content 'x' -Image 'https://example.com/a.png' } | Should -Throw -ExpectedMessage '*user*'
        }

        It 'refuses a file whose data URL would pass 10 MB, naming the limit' {
            $big = Join-Path $TestDrive 'big.png'
            $file = [System.IO.File]::Create($big); $file.SetLength(7864309); $file.Dispose()
            $err = { New-QwenMessage -Role User -Content 'x' -Image $big } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeLike 'FileTooLarge,*'
            $err.Exception.Message | Should -Match '10,485,760 bytes'
        }

        It 'refuses a voice the model does not have, naming its voices' {
            $err = { Invoke-QwenChat -Prompt 'Hi' -Model qwen-omni-turbo -Modality Text, Audio -Voice Tina -AudioPath (Join-Path $TestDrive 'x.wav') -BaseUri $script:BaseUri } |
                Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeLike 'VoiceNotAvailable,*'
            $err.Exception.Message | Should -Match 'Cherry, Serena, Ethan, Chelsie'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'refuses thinking with audio output' {
            $err = { Invoke-QwenChat -Prompt 'Hi' -Model qwen3-omni-flash -Modality Text, Audio -EnableThinking -AudioPath (Join-Path $TestDrive 'x.wav') -BaseUri $script:BaseUri } |
                Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeLike 'AudioNotSupported,*'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'refuses audio output without -AudioPath and on a model that does not speak' {
            { Invoke-QwenChat -Prompt 'Hi' -Model qwen3-omni-flash -Modality Text, Audio -BaseUri $script:BaseUri } | Should -Throw -ExpectedMessage '*-AudioPath*'
            { Invoke-QwenChat -Prompt 'Hi' -Model qwen-plus -Modality Text, Audio -AudioPath (Join-Path $TestDrive 'x.wav') -BaseUri $script:BaseUri } |
                Should -Throw -ExpectedMessage "*does not answer with audio*"
            @(Get-QwenTestRequest).Count | Should -Be 0
        }

        It 'refuses audio input on a vision model' {
            $err = { New-QwenMessage -Role User -Content 'x' -Audio 'https://example.com/q.mp3' | Invoke-QwenChat -Model qwen-vl-max -BaseUri $script:BaseUri } |
                Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeLike 'AudioNotSupported,*'
            @(Get-QwenTestRequest).Count | Should -Be 0
        }
    }

    Context 'Voice completion' {
        It 'completes the voices of the chosen model' {
            $line = 'Invoke-QwenChat -Model qwen-omni-turbo -Voice '
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length

            @($result.CompletionMatches.CompletionText) | Should -Be @('Cherry', 'Serena', 'Ethan', 'Chelsie')
        }

        It 'quotes voices with a space' {
            $line = 'Invoke-QwenChat -Model qwen3.5-omni-flash -Voice Theo'
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length

            @($result.CompletionMatches.CompletionText) | Should -Be @("'Theo Calm'")
        }
    }
}
