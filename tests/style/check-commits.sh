#!/bin/bash
# The commit habit, checked: every commit since the habit was adopted has a
# subject of at most 72 characters and a body that says why. Merge commits
# are held to the subject length only. Older history is left as it is.
# Outside a git checkout, or in a shallow one without that history, there
# is nothing to check.
set -euo pipefail

since=bdef47a # the last commit before the habit was locked in CI
cd "$(dirname "$0")/../.."
if ! git rev-parse --verify -q "$since^{commit}" >/dev/null 2>&1; then
        echo "check-commits: no git history here back to $since; nothing to check"
        exit 0
fi
bad=0
while read -r c; do
        subject=$(git log -1 --format=%s "$c")
        if [ "${#subject}" -gt 72 ]; then
                echo "check-commits: $c: subject has ${#subject} characters (at most 72): $subject"
                bad=1
        fi
        if [ "$(git log -1 --format=%P "$c" | wc -w)" -eq 1 ] &&
                ! git log -1 --format=%b "$c" | grep -q '[^[:space:]]'; then
                echo "check-commits: $c: no body saying why: $subject"
                bad=1
        fi
done < <(git rev-list "$since..HEAD")
[ "$bad" -eq 0 ] && echo "check-commits: $(git rev-list --count "$since..HEAD") commits checked"
exit "$bad"
