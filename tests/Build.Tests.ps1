# Copyright (c) QwenPS contributors. MIT License.
# build.ps1 and CI: the task list as pwsh -File passes it, and the one test command README.md and .ci/run share.

BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
    $script:BuildScript = Join-Path $script:RepoRoot 'build.ps1'
    $executable = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    $script:Pwsh = Join-Path $PSHOME $executable

    function Invoke-BuildScript {
        param([string[]]$Arguments)

        $output = & $script:Pwsh -NoProfile -NonInteractive -File $script:BuildScript @Arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($output | ForEach-Object { [string]$_ }) -join "`n" }
    }
}

Describe 'build.ps1' {
    It 'refuses an unknown task in a comma-separated -Task before doing anything' {
        $result = Invoke-BuildScript -Arguments @('-Task', 'Docs,Bogus')

        $result.ExitCode | Should -Not -Be 0
        $result.Text | Should -Match "Unknown task 'Bogus'"
        $result.Text | Should -Not -Match '==> '
    }

    It 'takes -Task as one comma-separated string from pwsh -File' {
        # Docs only (no build): its step header names the task, so the string was split and accepted.
        $result = Invoke-BuildScript -Arguments @('-Task', 'Docs,Docs', '-Verbose')

        $result.Text | Should -Match 'Tasks: Docs;'
        $result.Text | Should -Not -Match 'Unknown task'
    }
}

Describe 'CI' {
    It 'runs the test command that README.md gives, word for word' {
        $readme = Get-Content -LiteralPath (Join-Path $script:RepoRoot 'README.md') -Raw
        $ci = Get-Content -LiteralPath (Join-Path $script:RepoRoot '.ci' 'run') -Raw
        $section = [regex]::Match($readme, '(?s)## Test\s+```sh\s*\n(?<command>[^\n]+)\n```')

        $section.Success | Should -BeTrue -Because "README.md's Test section starts with a sh block holding the command"
        $command = $section.Groups['command'].Value.Trim()
        $command | Should -Match 'build\.ps1 -Task Test'
        ($ci -split "`n" | Where-Object { $_ -notmatch '^\s*#' -and $_.Contains($command) }).Count | Should -Be 1
    }

    It 'has no SKIPPED branch' {
        Get-Content -LiteralPath (Join-Path $script:RepoRoot '.ci' 'run') -Raw | Should -Not -MatchExactly 'SKIPPED'
    }
}
