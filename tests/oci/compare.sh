#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Compares two result directories of tests/oci/run.sh (e.g. runc and dry-run).
#   usage: tests/oci/compare.sh DIR_A DIR_B
# Prints the totals of each, then every program whose results differ (the
# multiset of its "ok"/"not ok"/SKIP lines and error diagnostics, test
# numbers left out: runtimetest walks Go maps in random order), then every
# difference in the command lines the real runtime was given (ids, bundle and
# pid-file paths normalised, repeated status polls collapsed). With audit
# logs in DIR_B, the rules that denied or fixed each differing program.
# The calls runc-harden makes itself to verify a created container are
# counted apart (see argv below).
# Exit status 0 when the results and the command lines are the same.
set -euo pipefail
[ $# -eq 2 ] || { sed -n 3,4p "$0" | sed 's/^# *//' >&2; exit 2; }
a=$1 b=$2

norm() { # DIR TEST: the program's results, normalised and sorted
        echo "exit $(cat "$1/$2.rc")"
        grep -E '^(not )?ok |^    "error": ' "$1/$2.out" |
                sed -E 's/^(not )?ok [0-9]+/\1ok/
                        s/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/ID/g
                        s#/tmp/ocitest[0-9]+#BUNDLE#g; s#/tmp/oci-pid[0-9]+#PIDDIR#g
                        s/time=[^ ]*//g; s/[0-9]{6,}/N/g' | sort || true
}
# runc-harden's own calls, which verifying a created container makes (its
# log sent to /dev/null): `state ID` right after a create that passed no
# --pid-file (for the init pid), and `delete --force ID` after it when the
# container is refused. argv prints the other calls (own=0) or these (own=1).
argv() { # DIR TEST OWN
        [ -f "$1/$2.argv" ] || return 0
        tr '\0' ' ' <"$1/$2.argv" |
                sed -E 's/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/ID/g
                        s#/tmp/ocitest[0-9]+#BUNDLE#g; s#/tmp/oci-pid[0-9]+#PIDDIR#g
                        s#--root [^ ]+#--root ROOT#' |
                awk -v own="$3" '{ mine = 0 }
                        / --log \/dev\/null state ID $/ && prev ~ / create .*ID $/ && prev !~ /--pid-file/ { mine = 1 }
                        / --log \/dev\/null delete --force ID $/ && prev ~ / --log \/dev\/null state ID $/ { mine = 1 }
                        { prev = $0; if (mine == own) print }' | if [ "$3" = 0 ]; then uniq; else cat; fi
}
counts() { # DIR TEST: pass/fail/skip, or why there is no result
        local o=$1/$2.out p f s
        p=$(grep -E '^ok ' "$o" | grep -vc '# SKIP' || true)
        f=$(grep -Ec '^not ok ' "$o" || true)
        s=$(grep -E '^ok ' "$o" | grep -c '# SKIP' || true)
        if [ $((p + f + s)) -eq 0 ]; then echo "none, exit $(cat "$1/$2.rc")"; else echo "$p/$f/$s"; fi
}
totals() {
        local d=$1 t p=0 f=0 s=0 none=0 clean=0 n=0 c
        for t in $(tests "$d"); do
                n=$((n + 1))
                c=$(counts "$d" "$t")
                case $c in
                none*) none=$((none + 1)) ;;
                *)
                        IFS=/ read -r cp cf cs <<<"$c"
                        p=$((p + cp)) f=$((f + cf)) s=$((s + cs))
                        [ "$cf" -eq 0 ] && [ "$cp" -gt 0 ] && [ "$(cat "$d/$t.rc")" = 0 ] && clean=$((clean + 1))
                        ;;
                esac
        done
        echo "$d: $n programs, $clean clean; TAP lines: $p passed, $f failed, $s skipped; $none without a result"
}
tests() { for o in "$1"/*.out; do [ -e "$o" ] && basename "$o" .out; done; }

totals "$a"
totals "$b"
same=0
printf '\n%-34s %-18s %-18s %s\n' "program (pass/fail/skip)" "$(basename "$a")" "$(basename "$b")" \
        "rules (deny; fix) in $(basename "$b")"
for t in $(tests "$a"); do
        [ -f "$b/$t.out" ] || continue
        if ! cmp -s <(norm "$a" "$t") <(norm "$b" "$t"); then
                same=1
                rules=
                if [ -f "$b/$t.audit" ]; then
                        rules=$(jq -rs '[.[].findings[] | select(.exempted | not)] as $f
                                | ([$f[] | select(.action == "deny") | .rule] | unique | join(","))
                                  + "; " + ([$f[] | select(.action == "fix") | .rule] | unique | join(","))' "$b/$t.audit")
                fi
                printf '%-34s %-18s %-18s %s\n' "$t" "$(counts "$a" "$t")" "$(counts "$b" "$t")" "$rules"
        fi
done
echo
echo "command lines the real runtime got (< $a, > $b):"
lines=$(for t in $(tests "$a"); do
        diff <(argv "$a" "$t" 0 | sed "s/^/$t: /") <(argv "$b" "$t" 0 | sed "s/^/$t: /") | grep '^[<>]' || true
done)
[ -z "$lines" ] || { printf '%s\n' "$lines"; same=1; }
for d in "$a" "$b"; do
        own=$(for t in $(tests "$d"); do argv "$d" "$t" 1; done | sort | uniq -c | sed 's/^ *//' | paste -sd ';' -)
        echo "calls runc-harden made itself to verify created containers, in $d: ${own:-none}"
done
exit $same
