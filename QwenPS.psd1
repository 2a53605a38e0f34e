@{
    # The module DLL and the dependency DLLs it ships are laid out in bin/ by the build
    # (dotnet build -c Release, or ./build.ps1 -Task Build); output/QwenPS/<version>/ has the same layout.
    RootModule           = 'bin/QwenPS.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = 'f5197293-c957-4655-8c83-11bc0d9df1da'
    Author               = 'QwenPS contributors'
    CompanyName          = 'QwenPS contributors'
    Copyright            = '(c) QwenPS contributors. MIT License.'
    Description          = 'Alibaba Qwen models (DashScope, OpenAI-compatible mode) as PowerShell cmdlets: streamed deep-thinking chat with reasoning and answer as separate records, multi-turn conversations, and long documents by file id (qwen-long).'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('bin/QwenPS.Format.ps1xml')
    CmdletsToExport      = @(
        'Add-QwenDocument'
        'Add-QwenFileReference'
        'Clear-QwenUsage'
        'Connect-Qwen'
        'Disconnect-Qwen'
        'Get-QwenBatch'
        'Get-QwenFile'
        'Get-QwenModel'
        'Get-QwenUsage'
        'Invoke-QwenChat'
        'Invoke-QwenDocumentChat'
        'Invoke-QwenCodeCompletion'
        'Invoke-QwenTranslation'
        'New-QwenChatRequest'
        'New-QwenMessage'
        'New-QwenTool'
        'Receive-QwenBatch'
        'Remove-QwenBatchMapping'
        'Remove-QwenFile'
        'Save-QwenFileContent'
        'Start-QwenBatch'
        'Stop-QwenBatch'
        'Wait-QwenBatch'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Qwen', 'DashScope', 'Alibaba', 'AI', 'LLM', 'Chat', 'QwQ', 'Streaming', 'Windows', 'Linux', 'MacOS', 'PSEdition_Desktop', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/qwenps/QwenPS'
            LicenseUri   = 'https://github.com/qwenps/QwenPS/blob/main/LICENSE'
            ReleaseNotes = 'First release: chat (streamed reasoning and answer records, multi-turn), documents by file id, Files API.'
        }
    }
}
