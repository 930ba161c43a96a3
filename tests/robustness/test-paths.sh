#!/bin/bash
# Host paths at the limits (issue 21, section 5): a bind source longer than
# the kernel takes is refused before any lookup, and the worst specs within
# the 4 MiB limit (sources of 4,095 bytes through real directories, sources
# through 40 links of 4 KiB each, 50,000 binds) are judged, exactly, with
# time and memory that grow with the spec's size. The bounds here are only
# a sanity check (60 s, 256 MiB); tests/bench/bench-paths.sh measures them
# against a Docker spec (docs/performance.md).
# shellcheck source=../integration/lib.sh
source "$(dirname "$0")/../integration/lib.sh"

GEN=$RH_SRC/tests/robustness/worst-paths.py
# The built-in policy, every bind rule in force (the LSM rules off: neither
# LSM is enabled here).
RH_POLICY=$T/paths-policy.json
# The delegate below only records the call: it creates no container to
# verify.
"$RUNC_HARDEN" policy show --level baseline | jq --arg audit "$T/audit.log" '.["audit-log"] = $audit
        | .rules.apparmor.action = "off" | .rules.selinux.action = "off" | .verify = false' \
        >"$RH_POLICY"
python3 "$GEN" tree "$T/tree"
DELEGATE=$T/delegate
printf '#!/bin/sh\necho ran >>%q\n' "$T/delegate.calls" >"$DELEGATE"
chmod +x "$DELEGATE"

# judge KIND: create KIND's spec through a delegate that only records it;
# sets $out, $err, $rc and $rss (KiB).
judge() {
        local b=$T/$1 id
        python3 "$GEN" spec "$1" "$T/tree" "$b" >/dev/null
        new_id id
        rm -f "$T/delegate.calls" "$T/time"
        capture /usr/bin/time -f %M -o "$T/time" timeout -k 5 60 "$RUNC_HARDEN" --harden-policy "$RH_POLICY" \
                --harden-runtime "$DELEGATE" --root "$STATE" create --bundle "$b" "$id"
        rss=$(tail -n 1 "$T/time")
}

test_a_source_longer_than_the_kernel_takes_is_refused_before_any_lookup() {
        judge long
        assert_eq 1 "$rc" "create exits 1"
        assert_contains "$err" "spec-invalid" "spec-invalid"
        assert_contains "$err" "longer than the kernel accepts" "the message says why"
        assert_ok "the delegate never ran" test ! -e "$T/delegate.calls"
}

worst_case() {
        judge "$1"
        assert_ne 124 "$rc" "$1: judged within the sanity bound (60 s)"
        assert_eq 0 "$rc" "$1: judged (the fixes applied)"
        assert_ok "$1: the delegate ran" test -e "$T/delegate.calls"
        assert_eq yes "$([ "$rss" -lt 262144 ] && echo yes || echo "no ($rss KiB)")" "$1: under 256 MiB"
}

test_sources_of_the_greatest_length_through_real_directories_are_judged() {
        worst_case maxpath
}

test_sources_through_forty_long_links_are_judged() {
        worst_case links
}

test_fifty_thousand_binds_are_judged() {
        worst_case binds
}

run_tests
