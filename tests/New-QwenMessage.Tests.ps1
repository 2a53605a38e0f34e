# Copyright (c) QwenPS contributors. MIT License.
# New-QwenMessage: building a conversation as a pipeline, and what it refuses.

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

Describe 'New-QwenMessage' {
    BeforeEach {
        Reset-QwenTestServer
    }

    Context 'Building messages' {
        It 'creates one message with the role and content given' {
            $message = @(New-QwenMessage -Role User -Content 'Hello')

            $message.Count | Should -Be 1
            $message[0] | Should -BeOfType ([QwenPS.QwenMessage])
            $message[0].Role | Should -Be ([QwenPS.QwenRole]::User)
            $message[0].Content | Should -BeExactly 'Hello'
            $message[0].ToolCallId | Should -BeNullOrEmpty
        }

        It 'accepts role and content by position' {
            $message = New-QwenMessage Assistant 'Sure.'

            $message.Role | Should -Be ([QwenPS.QwenRole]::Assistant)
            $message.Content | Should -BeExactly 'Sure.'
        }

        It 'passes piped messages through, in order, before its own' {
            $messages = @(
                New-QwenMessage -Role System -Content 'Be brief.' |
                    New-QwenMessage -Role User -Content 'Hi' |
                    New-QwenMessage -Role Assistant -Content 'Hello!'
            )

            $messages.Count | Should -Be 3
            foreach ($message in $messages) {
                $message | Should -BeOfType ([QwenPS.QwenMessage])
            }

            (($messages | ForEach-Object { $_.Role.ToString() }) -join ',') | Should -BeExactly 'System,User,Assistant'
            (($messages | ForEach-Object { $_.Content }) -join '|') | Should -BeExactly 'Be brief.|Hi|Hello!'
        }

        It 'builds a tool message with -ToolCallId' {
            $message = New-QwenMessage -Role Tool -Content '{"temperature": 21}' -ToolCallId 'call_8f2c'

            $message.Role | Should -Be ([QwenPS.QwenRole]::Tool)
            $message.ToolCallId | Should -BeExactly 'call_8f2c'
            $message.Content | Should -BeExactly '{"temperature": 21}'
        }

        It 'keeps Chinese content exactly' {
            (New-QwenMessage -Role User -Content '你好，世界').Content | Should -BeExactly '你好，世界'
        }
    }

    Context 'Refusals' {
        It 'refuses an unknown role at parameter binding' {
            $err = { New-QwenMessage -Role robot -Content 'x' } |
                Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -PassThru

            $err.Exception.ParameterName | Should -Be 'Role'
        }

        It 'refuses empty content at parameter binding' {
            { New-QwenMessage -Role User -Content '' } |
                Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
        }

        It 'refuses a tool message without -ToolCallId' {
            $err = { New-QwenMessage -Role Tool -Content 'result' } | Should -Throw -ErrorId 'InvalidArgument,*' -PassThru

            $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $err.Exception | Should -BeOfType ([QwenPS.QwenException])
            $err.Exception.Message | Should -Match 'ToolCallId'
        }

        It 'refuses -ToolCallId on a message that is not a tool message' {
            { New-QwenMessage -Role User -Content 'x' -ToolCallId 'call_1' } | Should -Throw -ErrorId 'InvalidArgument,*'
        }

        It 'refuses a bad message before any piped message flows' {
            $passed = [System.Collections.Generic.List[object]]::new()
            {
                New-QwenMessage -Role User -Content 'first' |
                    New-QwenMessage -Role Tool -Content 'no id' |
                    ForEach-Object { $passed.Add($_) }
            } | Should -Throw -ErrorId 'InvalidArgument,*'

            $passed.Count | Should -Be 0
        }

        It 'reports piped objects that are not messages and still emits its own' {
            $output = @('plain text' | New-QwenMessage -Role User -Content 'x' -ErrorAction SilentlyContinue -ErrorVariable pipedErrors)

            $output.Count | Should -Be 1
            $output[0].Content | Should -BeExactly 'x'
            $pipedErrors.Count | Should -Be 1
            $pipedErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
            $pipedErrors[0].TargetObject | Should -BeExactly 'plain text'
        }
    }

    Context 'With Invoke-QwenChat' {
        It 'passes a chat response through, so the conversation continues' {
            $first = Invoke-QwenChat -Prompt 'What is 2+2?' -Model qwen-plus -BaseUri $script:BaseUri
            Reset-QwenTestServer

            $piped = @($first | New-QwenMessage -Role User -Content 'And 3+3?')
            $piped.Count | Should -Be 2
            $piped[0] | Should -BeOfType ([QwenPS.QwenChatResponse])

            $second = $piped | Invoke-QwenChat -BaseUri $script:BaseUri

            $second.Content | Should -BeExactly 'Answer to: And 3+3?'
            $requests = @(Get-QwenTestRequest -Method POST -Path '/chat/completions')
            $requests.Count | Should -Be 1
            $sent = @($requests[0].bodyJson.messages)
            (($sent | ForEach-Object { $_.role }) -join ',') | Should -BeExactly 'user,assistant,user'
            $sent[0].content | Should -BeExactly 'What is 2+2?'
            $sent[1].content | Should -BeExactly $first.Content
            $sent[2].content | Should -BeExactly 'And 3+3?'
        }
    }
}
