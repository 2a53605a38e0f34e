#!/usr/bin/env python3
"""A sampled mutation score, for when Stryker.NET cannot switch its mutants on (docs/reliability.md, "Mutation testing").

Stryker's JSON report lists every mutant it made: file, location, replacement. This script takes a seeded random
sample of them, applies each to the source by hand, rebuilds src/QwenPS, copies the assembly over the one the xunit
project was built with, runs the xunit suite (without the load, fuzz and live tests) and records whether a test
failed (killed), the run timed out (counted as killed, as Stryker does) or all passed (survived). Only files whose
source still equals the report's copy are sampled. Run it in a throwaway clone: it edits and rebuilds the tree.

usage: python3 tools/mutation-sample.py <mutation-report.json> [count=30] [seed=14] > results.jsonl
"""
import json
import os
import random
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILTER = 'FullyQualifiedName!~LoadTests&FullyQualifiedName!~FuzzTests&FullyQualifiedName!~LiveServiceTests'


def candidates(report):
    found = []
    for name, entry in report["files"].items():
        relative = name.split('src/QwenPS/')[-1]
        path = os.path.join(ROOT, 'src', 'QwenPS', relative)
        if not os.path.exists(path) or open(path, encoding='utf-8').read() != entry['source']:
            continue
        # Survived in a run that never switched a mutant on means: compiled, valid, not yet judged.
        found.extend((relative, m) for m in entry['mutants'] if m['status'] in ('Survived', 'Killed', 'Timeout'))
    return found


def apply(source, mutant):
    lines = source.split('\n')

    def offset(position):
        return sum(len(line) + 1 for line in lines[:position['line'] - 1]) + position['column'] - 1

    start, end = offset(mutant['location']['start']), offset(mutant['location']['end'])
    return source[:start] + mutant['replacement'] + source[end:], source[start:end]


def run(*arguments, timeout=None):
    return subprocess.run(list(arguments), cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def main():
    report = json.load(open(sys.argv[1], encoding='utf-8'))
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 14)
    built = os.path.join(ROOT, 'src', 'QwenPS', 'bin', 'Release', 'netstandard2.0', 'QwenPS.dll')
    tested = os.path.join(ROOT, 'tests', 'QwenPS.Tests', 'bin', 'Release', 'net10.0', 'QwenPS.dll')
    for number, (relative, mutant) in enumerate(random.sample(candidates(report), count), 1):
        path = os.path.join(ROOT, 'src', 'QwenPS', relative)
        original = open(path, encoding='utf-8').read()
        mutated, replaced = apply(original, mutant)
        open(path, 'w', encoding='utf-8').write(mutated)
        started = time.time()
        failed = []
        try:
            if run('dotnet', 'build', 'src/QwenPS', '-c', 'Release', '--no-restore', '-nologo', '-v', 'q').returncode != 0:
                status = 'CompileError'
            else:
                shutil.copy(built, tested)
                try:
                    result = run('dotnet', 'test', 'tests/QwenPS.Tests', '-c', 'Release', '--no-build', '--filter', FILTER, timeout=180)
                    status = 'Survived' if result.returncode == 0 else 'Killed'
                    failed = [line.strip() for line in result.stdout.split('\n') if line.strip().startswith('Failed ')][:3]
                except subprocess.TimeoutExpired:
                    status = 'Timeout'
        finally:
            open(path, 'w', encoding='utf-8').write(original)
        print(json.dumps({'n': number, 'file': relative, 'id': mutant['id'], 'mutator': mutant['mutatorName'],
                          'line': mutant['location']['start']['line'], 'original': replaced[:120],
                          'replacement': mutant['replacement'][:120], 'status': status,
                          'seconds': round(time.time() - started), 'failed': failed}, ensure_ascii=False), flush=True)
    run('dotnet', 'build', 'src/QwenPS', '-c', 'Release', '--no-restore', '-nologo', '-v', 'q')
    shutil.copy(built, tested)


if __name__ == '__main__':
    main()
