# Copyright (c) QwenPS contributors. MIT License.
# Function calling: New-QwenTool and Invoke-QwenChat -Tool with real PowerShell commands, against the local test server.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'QwenPS.psd1') -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:Session = Start-QwenTestSession
    $script:BaseUri = $script:Session.BaseUri
    $script:ModulePath = Join-Path $PSScriptRoot '..' 'QwenPS.psd1'

    # The model's side of a round: these calls, in this order (README of the test server, "Function calling").
    function Add-ToolReply {
        param([object[]]$Calls, [string]$Reasoning)

        $reply = @{ toolCalls = @($Calls) }
        if ($Reasoning) { $reply['reasoningChunks'] = $Reasoning }
        Add-QwenTestBehavior @{ kind = 'reply'; reply = $reply }
    }

    function New-Call {
        param([string]$Id, [string]$Name, [object]$Arguments)

        @{ id = $Id; name = $Name; argumentFragments = $Arguments }
    }

    function Get-ChatRequests { @(Get-QwenTestRequest -Method POST -Path '/chat/completions') }

    # A host that answers ShouldContinue from a script, in a runspace of its own: Confirm mode needs a person.
    if (-not ('QwenPSTests.ScriptedHost' -as [type])) {
        Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace QwenPSTests
{
    public sealed class ScriptedHost : PSHost
    {
        private readonly ScriptedUI _ui;
        public ScriptedHost(int[] answers) { _ui = new ScriptedUI(answers); }
        public List<string> Prompts { get { return _ui.Prompts; } }
        public override string Name { get { return "QwenPSTests.ScriptedHost"; } }
        public override Version Version { get { return new Version(1, 0); } }
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI { get { return _ui; } }
        public override CultureInfo CurrentCulture { get { return CultureInfo.InvariantCulture; } }
        public override CultureInfo CurrentUICulture { get { return CultureInfo.InvariantCulture; } }
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() { }
        public override void ExitNestedPrompt() { }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class ScriptedUI : PSHostUserInterface
    {
        private readonly Queue<int> _answers;
        public ScriptedUI(int[] answers) { _answers = new Queue<int>(answers); }
        public List<string> Prompts { get; } = new List<string>();
        public override PSHostRawUserInterface RawUI { get { return null; } }
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add(caption + "|" + message);
            if (_answers.Count == 0) { throw new InvalidOperationException("No scripted answer left for: " + message); }
            return _answers.Dequeue();
        }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) { throw new InvalidOperationException("Prompt: " + message); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) { throw new InvalidOperationException(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) { throw new InvalidOperationException(); }
        public override string ReadLine() { throw new InvalidOperationException("ReadLine"); }
        public override SecureString ReadLineAsSecureString() { throw new InvalidOperationException(); }
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
'@
    }

    # Runs $Script in a fresh runspace (with the module imported and the host given) and returns its output.
    function Invoke-InRunspace {
        param([scriptblock]$Script, [object[]]$Arguments, [System.Management.Automation.Host.PSHost]$Host_)

        $runspace = if ($Host_) { [runspacefactory]::CreateRunspace($Host_) } else { [runspacefactory]::CreateRunspace() }
        $runspace.Open()
        try {
            $shell = [powershell]::Create()
            $shell.Runspace = $runspace
            $null = $shell.AddScript('param($ModulePath) Import-Module $ModulePath').AddArgument($script:ModulePath)
            $null = $shell.Invoke()
            $shell.Commands.Clear()
            $null = $shell.AddScript($Script.ToString())
            foreach ($argument in $Arguments) { $null = $shell.AddArgument($argument) }
            $output = $shell.Invoke()
            [pscustomobject]@{ Output = $output; Errors = @($shell.Streams.Error) }
            $shell.Dispose()
        }
        finally {
            $runspace.Dispose()
        }
    }
}

AfterAll {
    if (Get-Command -Name 'Stop-QwenTestSession' -ErrorAction SilentlyContinue) {
        Stop-QwenTestSession -Session $script:Session
    }
}

Describe 'New-QwenTool' {
    It 'reads a function''s parameters, validation and help into the schema' {
        function Get-Thing {
            <#
            .SYNOPSIS
            Gets things by name.
            .PARAMETER Name
            The thing's name.
            #>
            [CmdletBinding(SupportsShouldProcess)]
            param(
                [Parameter(Mandatory)][ValidatePattern('^[a-z]+$')][string]$Name,
                [ValidateRange(1, 10)][int]$Count = 1,
                [ValidateSet('Red', 'Blue')][string[]]$Color,
                [switch]$Force,
                [System.DayOfWeek]$Day
            )
            "$Name $Count"
        }

        $tool = New-QwenTool -Command (Get-Command Get-Thing)
        $schema = $tool.Parameters | ConvertFrom-Json -AsHashtable

        $tool.Name | Should -BeExactly 'Get-Thing'
        $tool.Description | Should -BeExactly 'Gets things by name.'
        $tool.SupportsShouldProcess | Should -BeTrue
        $schema.type | Should -BeExactly 'object'
        @($schema.properties.Keys) | Should -Be @('Name', 'Count', 'Color', 'Force', 'Day')
        $schema.required | Should -Be @('Name')
        $schema.additionalProperties | Should -BeFalse
        $schema.properties.Name | Should -Not -BeNullOrEmpty
        $schema.properties.Name.pattern | Should -BeExactly '^[a-z]+$'
        $schema.properties.Name.description | Should -BeExactly "The thing's name."
        $schema.properties.Count.type | Should -BeExactly 'integer'
        $schema.properties.Count.minimum | Should -Be 1
        $schema.properties.Count.maximum | Should -Be 10
        $schema.properties.Color.type | Should -BeExactly 'array'
        $schema.properties.Color.items.enum | Should -Be @('Red', 'Blue')
        $schema.properties.Force.type | Should -BeExactly 'boolean'
        $schema.properties.Day.enum | Should -Contain 'Monday'
    }

    It 'reads comment-based help written above a function, and of a script block' {
        <#
        .SYNOPSIS
        Counts things.
        .PARAMETER Count
        How many to count.
        #>
        function Get-Count { param([int]$Count) }

        $tool = New-QwenTool -Command Get-Count
        $block = New-QwenTool -Name echo -ScriptBlock {
            <#
            .SYNOPSIS
            Echoes text.
            .PARAMETER Text
            What to echo.
            #>
            param([string]$Text) $Text
        }

        $tool.Description | Should -BeExactly 'Counts things.'
        ($tool.Parameters | ConvertFrom-Json).properties.Count.description | Should -BeExactly 'How many to count.'
        $block.Description | Should -BeExactly 'Echoes text.'
        ($block.Parameters | ConvertFrom-Json).properties.Text.description | Should -BeExactly 'What to echo.'
    }

    It 'never exposes common parameters, nor WhatIf and Confirm' {
        function Set-Thing { [CmdletBinding(SupportsShouldProcess)] param([string]$Value) }

        $names = @((New-QwenTool -Command Set-Thing).Parameters | ConvertFrom-Json -AsHashtable).properties.Keys

        $names | Should -Be @('Value')
    }

    It 'exposes only the parameters chosen with -IncludeParameter, from the default parameter set' {
        $schema = (New-QwenTool -Command Get-ChildItem -IncludeParameter Path, Filter, Recurse).Parameters | ConvertFrom-Json -AsHashtable

        @($schema.properties.Keys) | Should -Be @('Path', 'Filter', 'Recurse')
        $schema.properties.Path.type | Should -BeExactly 'array'
        $schema.properties.Recurse.type | Should -BeExactly 'boolean'
    }

    It 'refuses a parameter the set does not have, naming the ones it has' {
        { New-QwenTool -Command Get-Date -IncludeParameter UFormat } | Should -Throw -ErrorId 'InvalidArgument,*' -ExpectedMessage '*Format*'
    }

    It 'takes another parameter set with -ParameterSetName' {
        $schema = (New-QwenTool -Command Get-Date -ParameterSetName DateAndUFormat -IncludeParameter UFormat).Parameters | ConvertFrom-Json -AsHashtable

        @($schema.properties.Keys) | Should -Be @('UFormat')
    }

    It 'reads a script block''s param() block' {
        $tool = New-QwenTool -Name add -Description 'Adds two numbers.' -ScriptBlock { param([Parameter(Mandatory)][int]$A, [int]$B) $A + $B }

        $tool.Parameters | Should -BeExactly '{"type":"object","properties":{"A":{"type":"integer"},"B":{"type":"integer"}},"required":["A"],"additionalProperties":false}'
        $tool.CommandName | Should -BeNullOrEmpty
    }

    It 'takes the schema as a hashtable or as JSON text' {
        $fromTable = New-QwenTool -Name t1 -ScriptBlock { param($City) } -Parameter @{ type = 'object'; properties = @{ City = @{ type = 'string' } } }
        $fromJson = New-QwenTool -Name t2 -ScriptBlock { param($City) } -Parameter '{"properties":{"City":{"type":"string"}}}'

        ($fromTable.Parameters | ConvertFrom-Json).properties.City.type | Should -BeExactly 'string'
        $fromJson.Parameters | Should -BeExactly '{"type":"object","properties":{"City":{"type":"string"}}}'
    }

    It 'refuses a schema that is not an object schema' -TestCases @(
        @{ Schema = '[1,2]' }, @{ Schema = '{"type":"string"}' }, @{ Schema = '{nope' }
    ) {
        param($Schema)
        { New-QwenTool -Name t -ScriptBlock { } -Parameter $Schema } | Should -Throw -ErrorId 'InvalidArgument,*'
    }

    It 'takes commands from the pipeline, by name or as CommandInfo' {
        $tools = @('Get-Date', (Get-Command Get-ChildItem)) | New-QwenTool

        @($tools.Name) | Should -Be @('Get-Date', 'Get-ChildItem')
        $tools[0] | Should -BeOfType ([QwenPS.QwenTool])
    }

    It 'needs -Name for a script block' {
        { New-QwenTool -ScriptBlock { param($X) } } | Should -Throw -ErrorId 'InvalidArgument,*' -ExpectedMessage '*-Name*'
    }

    It 'refuses a name the service would refuse' -TestCases @(
        @{ Name = 'has space' }, @{ Name = ('x' * 65) }, @{ Name = 'search' }
    ) {
        param($Name)
        { New-QwenTool -Name $Name -ScriptBlock { } } | Should -Throw -ErrorId 'InvalidArgument,*'
    }
}

Describe 'Invoke-QwenChat -Tool' {
    BeforeEach {
        Reset-QwenTestServer
    }

    Context 'Auto: a real command, one round, not streamed' {
        BeforeAll {
            Reset-QwenTestServer
            Add-ToolReply -Calls (New-Call 'call_1' 'Get-Date' @('{"Date":"2024-02-29T10:00:00",', '"Format":"yyyy-MM-dd"}'))
            $script:Output = @(Invoke-QwenChat 'What day was it?' -Tool (Get-Command Get-Date) -ToolInvocation Auto -BaseUri $script:BaseUri)
            $script:Requests = Get-ChatRequests
        }

        It 'writes one response, the answer to the tool results' {
            $script:Output.Count | Should -Be 1
            $script:Output[0] | Should -BeOfType ([QwenPS.QwenChatResponse])
            $script:Output[0].Content | Should -BeExactly 'What day was it? [tool results: call_1]'.Insert(0, 'Answer to: ')
            $script:Output[0].FinishReason | Should -BeExactly 'stop'
        }

        It 'lists the run in ToolRuns' {
            $script:Output[0].ToolRuns | Should -HaveCount 1
            $run = $script:Output[0].ToolRuns[0]
            $run.Name | Should -BeExactly 'Get-Date'
            $run.CallId | Should -BeExactly 'call_1'
            $run.Arguments | Should -BeExactly '{"Date":"2024-02-29T10:00:00","Format":"yyyy-MM-dd"}'
            $run.CommandLine | Should -BeExactly "Get-Date -Date '2024-02-29T10:00:00' -Format yyyy-MM-dd"
            $run.Succeeded | Should -BeTrue
            $run.Duration | Should -BeOfType ([timespan])
            $run.Content | Should -BeExactly '"2024-02-29"'
            ($run | ConvertTo-Json -Depth 1 | ConvertFrom-Json).Status | Should -BeExactly 'Succeeded'
            $run | Export-Csv -Path (Join-Path $TestDrive 'runs.csv')
            (Import-Csv -Path (Join-Path $TestDrive 'runs.csv')).CommandLine | Should -BeExactly $run.CommandLine
        }

        It 'sends the tool with its schema in the first request' {
            $body = $script:Requests[0].bodyJson
            @($body.tools) | Should -HaveCount 1
            $body.tools[0].type | Should -BeExactly 'function'
            $body.tools[0].function.name | Should -BeExactly 'Get-Date'
            $body.tools[0].function.parameters.type | Should -BeExactly 'object'
            $body.tools[0].function.parameters.properties.Format.type | Should -BeExactly 'string'
            $body.tools[0].function.parameters.properties.Date.format | Should -BeExactly 'date-time'
            $body.PSObject.Properties.Name | Should -Not -Contain 'tool_choice'
            $body.PSObject.Properties.Name | Should -Not -Contain 'parallel_tool_calls'
        }

        It 'answers the call in the second request, right after the assistant message' {
            $script:Requests.Count | Should -Be 2
            $messages = @($script:Requests[1].bodyJson.messages)
            (($messages | ForEach-Object role) -join ',') | Should -BeExactly 'user,assistant,tool'
            $messages[1].tool_calls[0].id | Should -BeExactly 'call_1'
            $messages[1].tool_calls[0].function.arguments | Should -BeExactly '{"Date":"2024-02-29T10:00:00","Format":"yyyy-MM-dd"}'
            $messages[2].tool_call_id | Should -BeExactly 'call_1'
            $messages[2].content | Should -BeExactly '"2024-02-29"'
        }

        It 'keeps every turn in History' {
            (($script:Output[0].History | ForEach-Object { $_.Role.ToString() }) -join ',') | Should -BeExactly 'User,Assistant,Tool,Assistant'
        }
    }

    It 'runs Get-ChildItem on TestDrive and sends what it found' {
        Set-Content -Path (Join-Path $TestDrive 'alpha.txt') -Value 'a'
        Set-Content -Path (Join-Path $TestDrive 'beta.log') -Value 'b'
        $arguments = @{ Path = @($TestDrive); Filter = '*.txt' } | ConvertTo-Json -Compress
        Add-ToolReply -Calls (New-Call 'call_ls' 'Get-ChildItem' $arguments)

        $response = Invoke-QwenChat 'Which text files are there?' -Tool Get-ChildItem -ToolInvocation Auto -MaxToolResultLength 1000000 -BaseUri $script:BaseUri
        $sent = @((Get-ChatRequests)[1].bodyJson.messages)[2].content

        $response.ToolRuns[0].Succeeded | Should -BeTrue
        $sent | Should -Match '"Name":"alpha.txt"'
        $sent | Should -Not -Match 'beta.log'
        { $sent | ConvertFrom-Json } | Should -Not -Throw
    }

    It 'runs a function defined in the test, a script block and several calls in the model''s order' {
        $script:Calls = [System.Collections.Generic.List[string]]::new()
        function Get-Weather { param([Parameter(Mandatory)][string]$City) $script:Calls.Add("weather $City"); @{ City = $City; TempC = 21 } }
        Add-ToolReply -Calls @(
            (New-Call 'call_a' 'Get-Weather' '{"City":"Hangzhou"}'),
            (New-Call 'call_b' 'scriptblock_1' '{"Text":"hi"}'),
            (New-Call 'call_c' 'Get-Weather' '{"City":"杭州"}'))

        $response = Invoke-QwenChat 'Weather?' -Tool (Get-Command Get-Weather), { param([string]$Text) $script:Calls.Add("echo $Text"); $Text.ToUpper() } -ParallelToolCalls -ToolInvocation Auto -BaseUri $script:BaseUri
        $requests = Get-ChatRequests
        $messages = @($requests[1].bodyJson.messages)

        $script:Calls | Should -Be @('weather Hangzhou', 'echo hi', 'weather 杭州')
        $requests[0].bodyJson.parallel_tool_calls | Should -BeTrue
        (($messages | ForEach-Object role) -join ',') | Should -BeExactly 'user,assistant,tool,tool,tool'
        (($messages[2..4] | ForEach-Object tool_call_id) -join ',') | Should -BeExactly 'call_a,call_b,call_c'
        ($messages[2].content | ConvertFrom-Json).TempC | Should -Be 21
        $messages[3].content | Should -BeExactly '"HI"'
        ($messages[4].content | ConvertFrom-Json).City | Should -BeExactly '杭州'
        @($response.ToolRuns.Name) | Should -Be @('Get-Weather', 'scriptblock_1', 'Get-Weather')
    }

    It 'sends a thrown error, a binding failure and written errors back to the model, and goes on' {
        function Invoke-Fragile {
            param([Parameter(Mandatory)][string]$Mode)
            if ($Mode -eq 'throw') { throw 'disk on fire' }
            Write-Error 'half broken'
            'some output'
        }
        Add-ToolReply -Calls @(
            (New-Call 'c1' 'Invoke-Fragile' '{"Mode":"throw"}'),
            (New-Call 'c2' 'Invoke-Fragile' '{"Mode":"x","Bogus":1}'),
            (New-Call 'c3' 'Invoke-Fragile' '{"Mode":"write"}'))

        $response = Invoke-QwenChat 'Try it' -Tool Invoke-Fragile -ToolInvocation Auto -BaseUri $script:BaseUri -ErrorAction Stop
        $tools = @(@((Get-ChatRequests)[1].bodyJson.messages) | Where-Object role -EQ 'tool')

        @($response.ToolRuns.Status) | Should -Be @('Failed', 'Failed', 'Failed')
        ($tools[0].content | ConvertFrom-Json).error | Should -BeExactly 'disk on fire'
        $tools[1].content | Should -Match "parameter name 'Bogus'"
        ($tools[2].content | ConvertFrom-Json).errors | Should -Be @('half broken')
        ($tools[2].content | ConvertFrom-Json).output | Should -BeExactly 'some output'
        $response.Content | Should -BeExactly 'Answer to: Try it [tool results: c1,c2,c3]'
    }

    It 'never runs a tool it was not given, nor a call with broken or missing arguments' {
        $script:Ran = 0
        function Get-Counter { param([Parameter(Mandatory)][int]$N) $script:Ran++ }
        Add-ToolReply -Calls @(
            (New-Call 'u1' 'Remove-Item' '{"Path":"/"}'),
            (New-Call 'u2' 'Get-Counter' @('{"N":', '1')),
            (New-Call 'u3' 'Get-Counter' '{}'))

        $response = Invoke-QwenChat 'Go' -Tool Get-Counter -ToolInvocation Auto -BaseUri $script:BaseUri
        $tools = @(@((Get-ChatRequests)[1].bodyJson.messages) | Where-Object role -EQ 'tool')

        $script:Ran | Should -Be 0
        @($response.ToolRuns.Status) | Should -Be @('UnknownTool', 'InvalidArguments', 'InvalidArguments')
        ($tools[0].content | ConvertFrom-Json).error | Should -Match "no tool named 'Remove-Item'"
        ($tools[1].content | ConvertFrom-Json).error | Should -Match 'not valid JSON'
        ($tools[2].content | ConvertFrom-Json).error | Should -Match 'Missing required argument N'
    }

    It 'caps a long result and says so' {
        function Get-Long { 'x' * 5000 }
        Add-ToolReply -Calls (New-Call 'l1' 'Get-Long' '{}')

        $response = Invoke-QwenChat 'Go' -Tool Get-Long -ToolInvocation Auto -MaxToolResultLength 100 -BaseUri $script:BaseUri
        $sent = @((Get-ChatRequests)[1].bodyJson.messages)[2].content

        $response.ToolRuns[0].Truncated | Should -BeTrue
        $sent | Should -BeLike ('"' + ('x' * 99) + "*truncated: 100 of 5002 characters shown.]")
    }

    Context 'Streamed, across rounds' {
        BeforeAll {
            Reset-QwenTestServer
            function Get-Step { param([int]$N) "step $N" }
            Add-ToolReply -Reasoning 'First step.' -Calls (New-Call 's1' 'Get-Step' @('{"N"', ':1}'))
            Add-ToolReply -Calls (New-Call 's2' 'Get-Step' '{"N":2}')
            $script:Records = @(Invoke-QwenChat 'Do two steps' -Tool Get-Step -ToolInvocation Auto -Stream -ResponseVariable final -BaseUri $script:BaseUri)
            $script:Final = $final
            $script:RequestCount = @(Get-ChatRequests).Count
        }

        It 'writes reasoning, then each call and its result, then the answer, with usage per round' {
            $shape = -join @($script:Records | ForEach-Object {
                    switch ($_.GetType().Name) {
                        'QwenReasoningChunk' { 'R' } 'QwenContentChunk' { 'C' } 'QwenUsage' { 'U' }
                        'QwenToolCallChunk' { 'T' } 'QwenToolResult' { 'X' } default { '?' }
                    }
                })

            $shape | Should -Match '^R+UTXUTXC+U$'
        }

        It 'joins the fragments of a call (empty ids after the first) into one complete call' {
            $chunk = @($script:Records | Where-Object { $_ -is [QwenPS.QwenToolCallChunk] })[0]

            $chunk.Id | Should -BeExactly 's1'
            $chunk.Name | Should -BeExactly 'Get-Step'
            $chunk.Arguments | Should -BeExactly '{"N":1}'
            $chunk.CommandLine | Should -BeExactly 'Get-Step -N 1'
            $chunk.Round | Should -Be 1
        }

        It 'writes each result with its round' {
            $results = @($script:Records | Where-Object { $_ -is [QwenPS.QwenToolResult] })

            @($results.Content) | Should -Be @('"step 1"', '"step 2"')
            @($results.Round) | Should -Be @(1, 2)
        }

        It 'keeps the whole conversation in -ResponseVariable' {
            $script:Final.ToolRuns.Count | Should -Be 2
            (($script:Final.History | ForEach-Object { $_.Role.ToString() }) -join ',') | Should -BeExactly 'User,Assistant,Tool,Assistant,Tool,Assistant'
            $script:RequestCount | Should -Be 3
        }
    }

    It 'stops at -MaxToolRounds with a warning, and FinishReason says why' {
        $script:Ran = 0
        function Get-Again { $script:Ran++; 'again' }
        Add-QwenTestBehavior @{ kind = 'toolLoop'; toolCalls = @(@{ name = 'Get-Again'; argumentFragments = '{}' }) }

        $response = Invoke-QwenChat 'Loop' -Tool Get-Again -ToolInvocation Auto -MaxToolRounds 2 -BaseUri $script:BaseUri -WarningVariable warnings 3>$null

        $script:Ran | Should -Be 2
        @(Get-ChatRequests).Count | Should -Be 3
        $response.FinishReason | Should -BeExactly 'max_tool_rounds'
        $response.ToolRuns.Count | Should -Be 2
        $response.ToolCalls.Count | Should -Be 1
        "$warnings" | Should -Match 'Stopped after 2 rounds'
    }

    It 'goes on when a stopped response is piped back with -Tool, running its calls first' {
        function Get-Again { 'again' }
        Add-QwenTestBehavior @{ kind = 'reply'; reply = @{ toolCalls = @(@{ id = 'p1'; name = 'Get-Again'; argumentFragments = '{}' }) } }
        $stopped = Invoke-QwenChat 'Loop' -Tool Get-Again -ToolInvocation Manual -BaseUri $script:BaseUri

        $response = $stopped | Invoke-QwenChat -Tool Get-Again -ToolInvocation Auto -BaseUri $script:BaseUri

        $response.ToolRuns[0].CallId | Should -BeExactly 'p1'
        $response.Content | Should -BeExactly 'Answer to: Loop [tool results: p1]'
    }

    Context 'Manual' {
        It 'returns the calls unrun, with the arguments as a table and as JSON' {
            $script:Ran = 0
            function Get-Weather { param([string]$City, [int]$Days) $script:Ran++ }
            Add-ToolReply -Calls (New-Call 'm1' 'Get-Weather' '{"City":"Hangzhou","Days":3}')

            $response = Invoke-QwenChat 'Weather?' -Tool Get-Weather -ToolInvocation Manual -BaseUri $script:BaseUri

            $script:Ran | Should -Be 0
            $response.FinishReason | Should -BeExactly 'tool_calls'
            $response.ToolCalls[0].Id | Should -BeExactly 'm1'
            $response.ToolCalls[0].Arguments | Should -BeExactly '{"City":"Hangzhou","Days":3}'
            $response.ToolCalls[0].ArgumentTable.City | Should -BeExactly 'Hangzhou'
            $response.ToolCalls[0].ArgumentTable.Days | Should -Be 3
            $response.ToolRuns.Count | Should -Be 0
            @(Get-ChatRequests).Count | Should -Be 1
        }

        It 'continues with the caller''s answer from New-QwenMessage -Role Tool' {
            Add-ToolReply -Calls (New-Call 'm1' 'Get-Weather' '{"City":"Hangzhou"}')
            function Get-Weather { param([string]$City) @{ City = $City; TempC = 21 } }
            $response = Invoke-QwenChat 'Weather?' -Tool Get-Weather -ToolInvocation Manual -BaseUri $script:BaseUri

            $call = $response.ToolCalls[0]
            $answer = $response |
                New-QwenMessage -Role Tool -ToolCallId $call.Id -Content (& $call.Name @($call.ArgumentTable) | ConvertTo-Json) |
                Invoke-QwenChat -Tool Get-Weather -ToolInvocation Manual -BaseUri $script:BaseUri

            $answer.Content | Should -BeExactly 'Answer to: Weather? [tool results: m1]'
            $sent = @((Get-ChatRequests)[1].bodyJson.messages)
            (($sent | ForEach-Object role) -join ',') | Should -BeExactly 'user,assistant,tool'
            ($sent[2].content | ConvertFrom-Json).TempC | Should -Be 21
        }

        It 'gets a 400 from the service when a call is left unanswered' {
            Add-ToolReply -Calls (New-Call 'm1' 'Get-Weather' '{}')
            function Get-Weather { }
            $response = Invoke-QwenChat 'Weather?' -Tool Get-Weather -ToolInvocation Manual -BaseUri $script:BaseUri

            { $response | Invoke-QwenChat 'Forget it' -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'InvalidParameter,*' -ExpectedMessage '*did not have response messages: m1*'
        }
    }

    Context 'Confirm' {
        It 'fails before any request in a host that cannot ask, naming Auto' {
            { Invoke-QwenChat 'Go' -Tool Get-Date -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'ConfirmationUnavailable,*' -ExpectedMessage '*-ToolInvocation Auto*'
            @(Get-ChatRequests).Count | Should -Be 0
        }

        It 'asks for each call showing the command line, and runs only what was allowed' {
            Add-ToolReply -Calls @(
                (New-Call 'k1' 'Get-Date' '{"Format":"yyyy"}'),
                (New-Call 'k2' 'Get-Date' '{"Format":"MM"}'),
                (New-Call 'k3' 'Get-Date' '{"Format":"dd"}'),
                (New-Call 'k4' 'Get-Date' '{"Format":"HH"}'))
            # Yes, No, No to All (ShouldContinue's choices: 0 Yes, 1 Yes to All, 2 No, 3 No to All): the 4th is not asked.
            $testHost = [QwenPSTests.ScriptedHost]::new([int[]]@(0, 2, 3))
            $result = Invoke-InRunspace -Host_ $testHost -Arguments $script:BaseUri -Script {
                param($BaseUri)
                Invoke-QwenChat 'Dates' -Tool Get-Date -ToolInvocation Confirm -BaseUri $BaseUri
            }

            $result.Errors | Should -BeNullOrEmpty
            $testHost.Prompts.Count | Should -Be 3
            $testHost.Prompts[0] | Should -BeLike '*|→ Get-Date -Format yyyy*'
            @($result.Output[0].ToolRuns.Status) | Should -Be @('Succeeded', 'Declined', 'Declined', 'Declined')
            ($result.Output[0].ToolRuns[1].Content | ConvertFrom-Json).error | Should -Match 'declined'
        }

        It 'stops asking after Yes to All' {
            Add-ToolReply -Calls @((New-Call 'y1' 'Get-Date' '{}'), (New-Call 'y2' 'Get-Date' '{}'))
            Add-ToolReply -Calls @((New-Call 'y3' 'Get-Date' '{}'))
            $testHost = [QwenPSTests.ScriptedHost]::new([int[]]@(1))
            $result = Invoke-InRunspace -Host_ $testHost -Arguments $script:BaseUri -Script {
                param($BaseUri)
                Invoke-QwenChat 'Dates' -Tool Get-Date -BaseUri $BaseUri
            }

            $result.Errors | Should -BeNullOrEmpty
            $testHost.Prompts.Count | Should -Be 1
            @($result.Output[0].ToolRuns.Status) | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        }
    }

    Context '-WhatIf and -Confirm' {
        BeforeAll {
            function New-Marker {
                [CmdletBinding(SupportsShouldProcess)]
                param([Parameter(Mandatory)][string]$Name)
                $path = Join-Path $TestDrive $Name
                if ($PSCmdlet.ShouldProcess($path, 'Create marker')) { Set-Content -Path $path -Value 'm'; 'created' }
            }

            function New-PlainMarker {
                param([Parameter(Mandatory)][string]$Name)
                New-Item -ItemType File -Path (Join-Path $TestDrive $Name) | Out-Null
            }
        }

        It 'runs a ShouldProcess command with -WhatIf when Invoke-QwenChat has -WhatIf: nothing changes' {
            Add-ToolReply -Calls (New-Call 'w1' 'New-Marker' '{"Name":"whatif.txt"}')

            $response = Invoke-QwenChat 'Mark' -Tool New-Marker -ToolInvocation Auto -WhatIf -BaseUri $script:BaseUri

            Join-Path $TestDrive 'whatif.txt' | Should -Not -Exist
            $response.ToolRuns[0].Succeeded | Should -BeTrue
            $response.ToolRuns[0].Content | Should -Match 'WhatIf'
            @(Get-ChatRequests).Count | Should -Be 2
        }

        It 'also keeps commands inside a tool without ShouldProcess from changing anything under -WhatIf' {
            Add-ToolReply -Calls (New-Call 'w2' 'New-PlainMarker' '{"Name":"plain.txt"}')

            $null = Invoke-QwenChat 'Mark' -Tool New-PlainMarker -ToolInvocation Auto -WhatIf -BaseUri $script:BaseUri

            Join-Path $TestDrive 'plain.txt' | Should -Not -Exist
        }

        It 'runs it for real without -WhatIf, and -Confirm:$false goes through' {
            Add-ToolReply -Calls (New-Call 'w3' 'New-Marker' '{"Name":"real.txt"}')

            $response = Invoke-QwenChat 'Mark' -Tool New-Marker -ToolInvocation Auto -Confirm:$false -BaseUri $script:BaseUri

            Join-Path $TestDrive 'real.txt' | Should -Exist
            $response.ToolRuns[0].Content | Should -BeExactly '"created"'
        }
    }

    Context 'Stopping' {
        It 'stops at once on Ctrl+C while a tool runs, and sends nothing more' {
            Add-ToolReply -Calls (New-Call 'z1' 'scriptblock_1' '{}')
            $signal = [System.Threading.ManualResetEventSlim]::new($false)
            $runspace = [runspacefactory]::CreateRunspace()
            $runspace.Open()
            $shell = [powershell]::Create()
            $shell.Runspace = $runspace
            $null = $shell.AddScript({
                    param($ModulePath, $BaseUri, $Signal)
                    Import-Module $ModulePath
                    Invoke-QwenChat 'Wait' -Tool { param() $Signal.Set(); Start-Sleep -Seconds 60 } -ToolInvocation Auto -BaseUri $BaseUri
                }.ToString()).AddArgument($script:ModulePath).AddArgument($script:BaseUri).AddArgument($signal)
            $async = $shell.BeginInvoke()
            try {
                $signal.Wait([timespan]::FromSeconds(60)) | Should -BeTrue
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()   # what Ctrl+C does to the running pipeline
                $clock.Stop()

                $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
                $stopped = $null
                try { $null = $shell.EndInvoke($async) } catch { $stopped = $_.Exception.InnerException }
                $stopped | Should -BeOfType ([System.Management.Automation.PipelineStoppedException])
                $shell.InvocationStateInfo.State | Should -Be 'Stopped'
                @(Get-ChatRequests).Count | Should -Be 1
            }
            finally {
                $shell.Dispose()
                $runspace.Dispose()
            }
        }

        It 'ends the loop at -TimeoutSec, also while a tool runs' {
            function Wait-Long { Start-Sleep -Seconds 30 }
            Add-ToolReply -Calls (New-Call 't1' 'Wait-Long' '{}')
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            { Invoke-QwenChat 'Wait' -Tool Wait-Long -ToolInvocation Auto -TimeoutSec 2 -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'Timeout,*'

            $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
            @(Get-ChatRequests).Count | Should -Be 1
        }
    }

    Context 'Refused before any request' {
        It 'refuses -ToolChoice naming a tool while the model thinks' {
            { Invoke-QwenChat 'x' -Tool Get-Date -ToolChoice Get-Date -EnableThinking -ToolInvocation Auto -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'InvalidArgument,*' -ExpectedMessage '*thinking*'
            @(Get-ChatRequests).Count | Should -Be 0
        }

        It 'refuses -ToolChoice that names no tool given' {
            { Invoke-QwenChat 'x' -Tool Get-Date -ToolChoice Get-Process -ToolInvocation Auto -BaseUri $script:BaseUri } |
                Should -Throw -ErrorId 'InvalidArgument,*' -ExpectedMessage '*Get-Date*'
        }

        It 'refuses tool parameters without -Tool' {
            { Invoke-QwenChat 'x' -MaxToolRounds 3 -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'InvalidArgument,*' -ExpectedMessage '*-MaxToolRounds needs -Tool*'
        }

        It 'refuses two tools with one name, and something that is not a tool' {
            { Invoke-QwenChat 'x' -Tool Get-Date, Get-Date -ToolInvocation Auto -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'InvalidArgument,*'
            { Invoke-QwenChat 'x' -Tool 42 -ToolInvocation Auto -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'InvalidArgument,*'
            { Invoke-QwenChat 'x' -Tool No-SuchCommand -ToolInvocation Auto -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'InvalidArgument,*'
            @(Get-ChatRequests).Count | Should -Be 0
        }
    }

    It 'sends nothing for a plain chat with -WhatIf' {
        $output = @(Invoke-QwenChat 'x' -WhatIf -BaseUri $script:BaseUri)

        $output.Count | Should -Be 0
        @(Get-ChatRequests).Count | Should -Be 0
    }

    It 'forces a named tool in the first request only, then lets the model answer' {
        Add-ToolReply -Calls (New-Call 'f1' 'Get-Date' '{}')

        $null = Invoke-QwenChat 'x' -Tool Get-Date -ToolChoice Get-Date -EnableThinking:$false -ToolInvocation Auto -BaseUri $script:BaseUri
        $requests = Get-ChatRequests

        $requests[0].bodyJson.tool_choice.type | Should -BeExactly 'function'
        $requests[0].bodyJson.tool_choice.function.name | Should -BeExactly 'Get-Date'
        $requests[1].bodyJson.tool_choice | Should -BeExactly 'auto'
    }

    It 'sends tool_choice none as a string' {
        $null = Invoke-QwenChat 'x' -Tool Get-Date -ToolChoice None -ToolInvocation Auto -BaseUri $script:BaseUri

        (Get-QwenTestLastChatRequest).bodyJson.tool_choice | Should -BeExactly 'none'
    }

    It 'says each round and call on the verbose stream, and shows the command line live' {
        Add-ToolReply -Calls (New-Call 'v1' 'Get-Date' '{"Format":"yyyy"}')

        $null = Invoke-QwenChat 'x' -Tool Get-Date -ToolInvocation Auto -Live -Verbose -BaseUri $script:BaseUri -InformationVariable live 4>&1 6>$null |
            Tee-Object -Variable all
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $verbose | Should -Contain 'Round 1: the model asked for 1 tool call.'
        $verbose | Should -Contain 'Call v1: Get-Date -Format yyyy'
        (-join @($live | ForEach-Object { $_.MessageData.Message })) | Should -Match '→ Get-Date -Format yyyy'
    }
}
