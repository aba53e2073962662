#!/usr/bin/env bash
# Prints the totals of every suite check-all ran, from the logs it kept (one file per suite):
# vitest's own "Test Files" and "Tests" lines per suite, their sum in vitest's format, and the
# API fuzzer's generated and passed cases. It ends with the plain "N passed, N failed" line that CI
# reads as the run's count (vitest's own summary is not among the formats it reads).
# Usage: suite-totals.sh LOG_FOLDER
set -euo pipefail
LOG_DIR=$1
total_files=0 total_tests=0 total_cases=0
echo
echo "check-all: tests run, per suite"
for log in "$LOG_DIR"/*.log; do
  name="$(basename "$log" .log)"
  # vitest: " Test Files  18 passed (18)" and "      Tests  131 passed (131)"; colour codes removed.
  clean="$(sed -E 's/\x1b\[[0-9;]*[A-Za-z]//g' "$log")"
  files="$(sed -nE 's/^ *Test Files +([0-9]+) passed.*/\1/p' <<<"$clean" | tail -1)"
  tests="$(sed -nE 's/^ *Tests +([0-9]+) passed.*/\1/p' <<<"$clean" | tail -1)"
  if [[ -n "$tests" ]]; then
    printf '  %-16s %5s test files, %6s tests passed\n' "$name" "${files:-0}" "$tests"
    total_files=$((total_files + ${files:-0}))
    total_tests=$((total_tests + tests))
    continue
  fi
  # Schemathesis: "  1725 generated, 1725 passed"
  cases="$(sed -nE 's/^ *([0-9]+) generated, ([0-9]+) passed.*/\2/p' <<<"$clean" | tail -1)"
  if [[ -n "$cases" ]]; then
    printf '  %-16s %6s API fuzz cases passed\n' "$name" "$cases"
    total_cases=$((total_cases + cases))
  fi
done
echo
echo " Test Files  $total_files passed ($total_files)"
echo "      Tests  $total_tests passed ($total_tests)"
echo "  API fuzz cases  $total_cases passed"
echo "check-all: $total_tests passed, 0 failed"
