# Copyright (c) QwenPS contributors. MIT License.
# Connect-Qwen / Disconnect-Qwen: per-runspace defaults (key, endpoint, model), against the local test server.

BeforeAll {
    $script:ManifestPath = Join-Path $PSScriptRoot '..' 'QwenPS.psd1'
    Import-Module $script:ManifestPath -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force -ErrorAction Stop

    $script:EnvKey = 'sk-pester-fake-0000000000'
    $script:SavedApiKey = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $script:EnvKey
    $script:SavedBaseUrl = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_COMPATIBLE_BASE_URL' -Value $null
    Disconnect-Qwen
    $script:Server = Start-QwenTestServer
    $script:BaseUri = $script:Server.BaseUri

}

AfterAll {
    if (Get-Command -Name 'Disconnect-Qwen' -ErrorAction SilentlyContinue) {
        Disconnect-Qwen
    }

    if (Get-Command -Name 'Stop-QwenTestServer' -ErrorAction SilentlyContinue) {
        Stop-QwenTestServer -Server $script:Server
        $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $script:SavedApiKey
        $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_COMPATIBLE_BASE_URL' -Value $script:SavedBaseUrl
    }
}

Describe 'Connect-Qwen' {
    BeforeEach {
        Reset-QwenTestServer
        Disconnect-Qwen
    }

    AfterEach {
        Disconnect-Qwen
    }

    It 'makes later calls use its key, endpoint and model' {
        $key = ConvertTo-SecureString -String 'sk-test' -AsPlainText -Force
        $null = Connect-Qwen -ApiKey $key -BaseUri $script:BaseUri -Model qwq-32b

        $response = Invoke-QwenChat -Prompt 'x'

        $request = Get-QwenTestLastChatRequest
        $request.headers.Authorization | Should -BeExactly 'Bearer sk-test'
        $request.bodyJson.model | Should -BeExactly 'qwq-32b'
        $request.bodyJson.stream | Should -Be $true
        $response.Model | Should -BeExactly 'qwq-32b'
        $response.Content | Should -BeExactly 'Answer to: x'
    }

    It 'returns a QwenConnectionInfo that never holds the key' {
        $key = ConvertTo-SecureString -String 'sk-test' -AsPlainText -Force

        $info = Connect-Qwen -ApiKey $key -BaseUri $script:BaseUri -Model qwq-32b

        @($info).Count | Should -Be 1
        $info | Should -BeOfType ([QwenPS.QwenConnectionInfo])
        $info.Model | Should -BeExactly 'qwq-32b'
        $info.ApiKeySource | Should -BeExactly 'Connect-Qwen'
        $info.BaseUri.ToString().TrimEnd('/') | Should -BeExactly $script:BaseUri
        foreach ($property in $info.PSObject.Properties) {
            [string]$property.Value | Should -Not -Match 'sk-test' -Because "property $($property.Name) must not carry the key"
        }

        $info.ToString() | Should -Not -Match 'sk-test'
        ($info | Format-List -Property * | Out-String) | Should -Not -Match 'sk-test'
        ($info | Out-String) | Should -Not -Match 'sk-test'
        ($info | ConvertTo-Json -Depth 3) | Should -Not -Match 'sk-test'
    }

    It 'sends no request itself' {
        $null = Connect-Qwen -ApiKey (ConvertTo-SecureString -String 'sk-test' -AsPlainText -Force) -BaseUri $script:BaseUri

        @(Get-QwenTestRequest).Count | Should -Be 0
    }

    It 'lets -ApiKey on a call win over its key' {
        $null = Connect-Qwen -ApiKey (ConvertTo-SecureString -String 'sk-test' -AsPlainText -Force) -BaseUri $script:BaseUri -Model qwen-plus
        $override = ConvertTo-SecureString -String 'sk-override' -AsPlainText -Force

        $null = Invoke-QwenChat -Prompt 'x' -ApiKey $override

        (Get-QwenTestLastChatRequest).headers.Authorization | Should -BeExactly 'Bearer sk-override'
    }

    It 'is cleared by Disconnect-Qwen' {
        $null = Connect-Qwen -ApiKey (ConvertTo-SecureString -String 'sk-test' -AsPlainText -Force) -BaseUri $script:BaseUri -Model qwq-32b
        Disconnect-Qwen

        # Back to the environment key and the default model (the endpoint is given explicitly from here on).
        $null = Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri
        $request = Get-QwenTestLastChatRequest
        $request.headers.Authorization | Should -BeExactly "Bearer $($script:EnvKey)"
        $request.bodyJson.model | Should -BeExactly 'qwen-plus'

        Reset-QwenTestServer
        $saved = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $null
        try {
            { Invoke-QwenChat -Prompt 'x' -BaseUri $script:BaseUri } | Should -Throw -ErrorId 'MissingApiKey,*'
        }
        finally {
            $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $saved
        }

        @(Get-QwenTestRequest).Count | Should -Be 0
    }

    It 'does nothing when there is nothing to clear' {
        { Disconnect-Qwen } | Should -Not -Throw
    }

    It 'is not seen by another runspace' {
        $null = Connect-Qwen -ApiKey (ConvertTo-SecureString -String 'sk-test' -AsPlainText -Force) -BaseUri $script:BaseUri -Model qwen-plus
        $otherRunspace = @'
param([string]$ManifestPath, [string]$BaseUri)
Import-Module -Name $ManifestPath -ErrorAction Stop
try {
    $null = Invoke-QwenChat -Prompt 'from another runspace' -BaseUri $BaseUri -ErrorAction Stop
    'NoError'
}
catch {
    $_.FullyQualifiedErrorId
}
'@

        $saved = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $null
        $powershell = [powershell]::Create()
        try {
            $null = $powershell.AddScript($otherRunspace).AddArgument($script:ManifestPath).AddArgument($script:BaseUri)
            $result = @($powershell.Invoke())
            $otherErrors = @($powershell.Streams.Error | ForEach-Object { $_.ToString() })
        }
        finally {
            $powershell.Dispose()
            $null = Set-QwenTestEnvironmentVariable -Name 'DASHSCOPE_API_KEY' -Value $saved
        }

        $otherErrors.Count | Should -Be 0 -Because ($otherErrors -join '; ')
        $result.Count | Should -Be 1
        [string]$result[0] | Should -BeLike 'MissingApiKey,*'
        @(Get-QwenTestRequest).Count | Should -Be 0

        # This runspace still has its key.
        $null = Invoke-QwenChat -Prompt 'still connected'
        (Get-QwenTestLastChatRequest).headers.Authorization | Should -BeExactly 'Bearer sk-test'
    }
}
