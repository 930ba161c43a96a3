#!/bin/bash
# Overlay mounts and the root file system on the real runc: what the kernel
# opens, shown from inside the container or by a canary on the host, and
# refused by runc-harden (the outside attacks of atk-14):
#   - untrusted-layer: a layer under a directory a user other than root
#     owns, swapped for a symlink by that user after the check (a prepared
#     runtime does it between runc-harden and runc, as that user);
#   - a last option ending in "\" (the kernel drops it), a lowerdir+= name
#     with a "\" (the kernel keeps it): judged as the kernel reads them;
#   - a bind over root.path after the check: verification compares the
#     container's root with root.path as it was judged.
# Each effect is first shown with the rule off (or with runc alone where
# the refusal is spec-invalid, which cannot be turned off).
# $-expressions in single quotes are jq's or the container shell's.
# shellcheck disable=SC2016
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# Directories the policy protects: a protected path (read-write denied) and
# engine state (denied read-only too), both this test's own.
PROT=$T/protected
SECRET=$T/state
mkdir -p "$PROT" "$SECRET"
echo secret >"$SECRET/token"
# nobody must reach the test's directories (not write them)
chmod 711 "$T"

# ovl_policy FILE ACTION: the built-in policy with untrusted-layer at
# ACTION, sensitive-mount protecting PROT and SECRET too, spec-invalid, and
# every other rule off; verification on.
ovl_policy() {
        "$RUNC_HARDEN" policy show |
                jq --arg a "$2" --arg audit "$T/audit.log" --arg p "$PROT/**" --arg s "$SECRET/**" '
                        .["audit-log"] = $audit
                        | .rules |= with_entries(
                                if .key == "untrusted-layer" then .value.action = $a
                                elif .key == "sensitive-mount" then .value.params.paths += [$p]
                                        | .value.params.state += [$s]
                                elif .key == "spec-invalid" then .
                                else .value.action = "off" end)' >"$1"
}
ovl_policy "$T/on.json" deny
ovl_policy "$T/off.json" off
RH_POLICY=$T/on.json

# overlay_bundle DIR SCRIPT OPTION...: a bundle running sh -c SCRIPT with an
# overlay at /o of the given options.
overlay_bundle() {
        local b=$1 script=$2
        shift 2
        rm -rf "$b"
        make_bundle "$b" sh -c "$script"
        spec_set "$b" '.mounts += [{"destination": "/o", "type": "overlay", "source": "overlay", "options": $o}]' \
                --argjson o "$(json_array "$@")"
}

# runc alone on the bundle (no runc-harden): what the kernel does with it.
runc_alone() {
        local id
        new_id id
        assert_ok "$2: runc alone runs it" runc_ run --bundle "$1" "$id"
}

# ------------------------------------------------------- untrusted-layer

test_an_upper_layer_a_user_can_swap_for_a_link_is_refused() {
        local d=$TD/d canary=$TD/canary id
        mkdir -p "$TD/l" "$TD/w" "$canary" "$d"
        chown nobody "$d"
        setpriv --reuid nobody --regid nogroup --clear-groups mkdir "$d/up"
        overlay_bundle "$TD/b" 'echo written >/o/probe && echo WROTE' \
                "lowerdir=$TD/l" "upperdir=$d/up" "workdir=$TD/w"
        # between runc-harden's check and runc's mount, nobody (who owns
        # d) puts a link to the canary where the upper layer was
        prepared_runtime "$TD/rt" "setpriv --reuid nobody --regid nogroup --clear-groups \
                sh -c 'rmdir $d/up && ln -s $canary $d/up'"
        new_id id
        RH_POLICY=$T/off.json assert_ok "with the rule off, the swapped overlay runs (verification passes it)" \
                rh --harden-runtime "$TD/rt" run --bundle "$TD/b" "$id"
        assert_contains "$out" "WROTE" "inside: the container wrote its upper layer"
        assert_eq written "$(cat "$canary/probe" 2>&1)" "the write landed in the canary, a directory only root can write"
        # again, with the rule on: refused before runc runs
        rm -f "$canary/probe" "$d/up"
        setpriv --reuid nobody --regid nogroup --clear-groups mkdir "$d/up"
        rm -rf "$TD/w/work"
        new_id id
        assert_status 1 "with the rule on, run exits 1" rh --harden-runtime "$TD/rt" run --bundle "$TD/b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: untrusted-layer: /mounts/" "stderr names the rule"
        assert_contains "$err" "has the upperdir $d/up" "the message names the field"
        assert_contains "$err" "$d is owned by uid $(id -u nobody)" "and the untrusted directory"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        assert_ok "the canary is empty" test ! -e "$canary/probe"
        assert_ok "the layer was never swapped (runc never ran)" test -d "$d/up" -a ! -L "$d/up"
}

test_layers_in_directories_only_root_can_change_run() {
        local id
        mkdir -p "$TD/l" "$TD/u" "$TD/w"
        echo lower >"$TD/l/f"
        overlay_bundle "$TD/b" 'cat /o/f && echo upper >/o/g && grep " /o " /proc/self/mountinfo' \
                "lowerdir=$TD/l" "upperdir=$TD/u" "workdir=$TD/w"
        new_id id
        assert_ok "an overlay of root's directories runs" rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "lower" "inside: the lower layer is read"
        assert_match "$out" " /o rw[, ].* - overlay overlay .*upperdir=$TD/u" "inside: /o is the overlay of $TD/u"
        assert_eq upper "$(cat "$TD/u/g")" "the write is in the upper layer"
}

# ------------------------------------------------- options as the kernel reads them

test_a_last_option_ending_in_a_backslash_is_judged_as_the_kernel_reads_it() {
        mkdir -p "$TD/l" "$TD/w" "$PROT/bs"
        # the kernel drops the final "\": the upper layer is $PROT/bs
        overlay_bundle "$TD/b" 'grep " /o " /proc/self/mountinfo; echo bs >/o/probe && echo WROTE' \
                "lowerdir=$TD/l" "workdir=$TD/w" "upperdir=$PROT/bs\\"
        runc_alone "$TD/b" "upperdir=PROTECTED\\ (last option)"
        assert_contains "$out" "WROTE" "inside: the container wrote /o"
        assert_eq bs "$(cat "$PROT/bs/probe" 2>&1)" "the kernel took $PROT/bs: the write is there"
        rm -f "$PROT/bs/probe"
        rm -rf "$TD/w/work"
        local id
        new_id id
        assert_status 1 "through runc-harden, run exits 1" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" 'spec-invalid: /mounts/' "refused as spec-invalid"
        assert_contains "$err" 'ends in a' "the message says the option ends in a backslash"
        assert_contains "$err" "sensitive-mount: /mounts/" "and the upper layer is judged as $PROT/bs"
        assert_contains "$err" "has the upperdir $PROT/bs," "(by its name without the backslash)"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        assert_ok "no write reached $PROT/bs" test ! -e "$PROT/bs/probe"
}

test_a_lowerdir_plus_name_with_a_backslash_is_the_name_the_kernel_opens() {
        mkdir -p "$TD/d/ab" "$TD/u" "$TD/w"
        ln -s "$SECRET" "$TD/d/a\\b"
        overlay_bundle "$TD/b" 'cat /o/token 2>&1; ls /o' "lowerdir+=$TD/d/a\\b" "upperdir=$TD/u" "workdir=$TD/w"
        runc_alone "$TD/b" "lowerdir+=D/a\\b"
        assert_contains "$out" "secret" "inside: the kernel opened the link \"a\\b\" (engine state), not \"ab\""
        rm -rf "$TD/w/work"
        local id
        new_id id
        assert_status 1 "through runc-harden, run exits 1" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "sensitive-mount: /mounts/" "refused by sensitive-mount"
        assert_contains "$err" "the state of a container engine" "as engine state, read-only or not"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        # lowerdir= unescapes the same name to "ab", a harmless directory
        overlay_bundle "$TD/b2" 'ls -a /o' "lowerdir=$TD/d/a\\b" "upperdir=$TD/u" "workdir=$TD/w"
        new_id id
        assert_ok "the same name in lowerdir= (unescaped: ab) runs" rh run --bundle "$TD/b2" "$id"
        assert_not_contains "$out" "token" "inside: /o is ab, empty"
}

# ----------------------------------------------------------- the root

test_a_bind_over_the_root_after_the_check_is_refused_by_verification() {
        local id
        # the protected tree holds a root file system of its own (busybox)
        make_bundle "$PROT/image" true
        make_bundle "$TD/b" sh -c 'echo root >/probe && echo WROTE'
        spec_set "$TD/b" '.root.readonly = false'
        aliasing_runtime "$TD/rt" "$PROT/image/rootfs" "$TD/b/rootfs"
        # without verification runc-harden hands "run" over whole: the same
        # bind before runc run (prepared_runtime's covers create)
        printf '%s\n' '#!/bin/sh' \
                "exec $(command -v unshare) -m --propagation private /bin/sh -c \\" \
                "        'mount --bind \"\$0\" \"\$1\" && shift && exec \"\$@\"' '$PROT/image/rootfs' '$TD/b/rootfs' '$REAL_RUNC' \"\$@\"" \
                >"$TD/rt-run"
        chmod +x "$TD/rt-run"
        jq '.verify = false' "$T/on.json" >"$T/noverify.json"
        new_id id
        RH_POLICY=$T/noverify.json assert_ok "without verification, the swapped root runs" \
                rh --harden-runtime "$TD/rt-run" run --bundle "$TD/b" "$id"
        assert_contains "$out" "WROTE" "inside: the container wrote its root"
        assert_eq root "$(cat "$PROT/image/rootfs/probe" 2>&1)" "the write landed in the protected tree"
        rm -f "$PROT/image/rootfs/probe"
        new_id id
        assert_status 1 "with verification, run exits 1" rh --harden-runtime "$TD/rt" run --bundle "$TD/b" "$id"
        assert_contains "$err" "root: the container's root directory is not root.path $TD/b/rootfs as it was judged" \
                "the root is compared with root.path as it was judged"
        assert_contains "$err" "/ (the root file system) is the host's $PROT/image/rootfs" \
                "the root mount is judged by what it is"
        assert_contains "$err" "(sensitive-mount)" "with sensitive-mount's targets"
        assert_eq absent "$(container_status "$id")" "the container was deleted before it could start"
        assert_ok "nothing was written in the protected tree" test ! -e "$PROT/image/rootfs/probe"
}

test_a_root_that_is_what_was_judged_runs() {
        local id
        make_bundle "$TD/b" sh -c 'echo ok'
        new_id id
        assert_ok "a plain bundle runs, verified" rh run --bundle "$TD/b" "$id"
        assert_eq ok "$out" "inside: it ran"
}

run_tests
