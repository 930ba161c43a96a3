#!/bin/bash
# The format habit, checked: every C file git tracks is as clang-format
# (version 14, Debian 12's) formats it under the repository's .clang-format.
# Prints each file that drifts and how many lines would change; exits 1 when
# any does. To apply the style:
#   git ls-files '*.c' '*.h' | xargs clang-format-14 -i
# (twice: one string-literal alignment settles only on the second pass)
# Outside a git checkout, or without clang-format, there is nothing to check.
set -euo pipefail

cd "$(dirname "$0")/../.."
cf=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$cf" ]; then
        echo "check-format: no clang-format here; nothing checked"
        exit 0
fi
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        echo "check-format: not a git checkout; nothing checked"
        exit 0
fi
bad=0 files=0
while IFS= read -r -d '' f; do
        files=$((files + 1))
        n=$("$cf" --style=file "$f" | diff "$f" - | grep -c '^>' || true)
        if [ "$n" -gt 0 ]; then
                echo "check-format: $f: $n lines differ from clang-format's"
                bad=1
        fi
done < <(git ls-files -z '*.c' '*.h')
[ "$bad" -eq 0 ] && echo "check-format: $files files as .clang-format says"
exit "$bad"
