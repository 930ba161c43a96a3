#!/bin/bash
# A bind of an overlay the host has mounted, on the real runc: mountinfo
# shows its layers only by the names they were given, so a bind on the way
# to a layer that has since been detached (an engine's volume unmounted, a
# umount -l) leaves the names reaching other directories than the ones the
# kernel stacked (atk-eng ovl-detached-upper). untrusted-layer refuses such
# an overlay unless its names are shown to be its layers; the effect is
# shown first with the rule off, the write landing in a protected canary.
# $-expressions in single quotes are jq's or the container shell's.
# shellcheck disable=SC2016
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

PROT=$T/protected
mkdir -p "$PROT"

# mounted_policy FILE ACTION: the built-in policy with untrusted-layer at
# ACTION, sensitive-mount protecting PROT too, spec-invalid, and every
# other rule off; verification on.
mounted_policy() {
        "$RUNC_HARDEN" policy show |
                jq --arg a "$2" --arg p "$PROT/**" '
                        .rules |= with_entries(
                                if .key == "untrusted-layer" then .value.action = $a
                                elif .key == "sensitive-mount" then .value.params.paths += [$p]
                                elif .key == "spec-invalid" then .
                                else .value.action = "off" end)' >"$1"
}
mounted_policy "$T/on.json" deny
mounted_policy "$T/off.json" off
RH_POLICY=$T/on.json

# detached_overlay DIR CANARY [plant]: an overlay at DIR/B whose upper and
# work directories were named through DIR/A, a bind of CANARY detached
# since; with "plant", empty directories now answer to those names.
detached_overlay() {
        local d=$1 canary=$2
        mkdir -p "$canary/u" "$canary/w" "$d/A" "$d/B" "$d/lower"
        mount --bind "$canary" "$d/A"
        mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/A/u,workdir=$d/A/w" "$d/B"
        umount -l "$d/A"
        [ "${3:-}" != plant ] || mkdir -p "$d/A/u" "$d/A/w"
}

# bind_bundle DIR SOURCE: a bundle that writes /b/probe, SOURCE bound at /b.
bind_bundle() {
        make_bundle "$1" sh -c 'echo written >/b/probe && echo WROTE'
        add_bind "$1" "$2" /b
}

test_a_bind_of_an_overlay_whose_upper_bind_was_detached_is_refused() {
        local canary=$PROT/c1 id
        detached_overlay "$TD" "$canary" plant
        bind_bundle "$TD/b" "$TD/B"
        new_id id
        RH_POLICY=$T/off.json assert_ok "with the rule off, the bind of the overlay runs (verification passes it)" \
                rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "WROTE" "inside: the container wrote /b"
        assert_eq written "$(cat "$canary/u/probe" 2>&1)" "the write landed in the protected canary"
        assert_ok "not in the directory the upperdir names now" test ! -e "$TD/A/u/probe"
        rm -f "$canary/u/probe"
        new_id id
        assert_status 1 "with the rule on, run exits 1" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: untrusted-layer: /mounts/" "stderr names the rule"
        assert_contains "$err" "the source $TD/B is an overlay the host has mounted" "and the source"
        assert_contains "$err" "its upperdir names a directory that is not the one the overlay stacked" \
                "the upper layer's name is shown not to be the layer"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        assert_ok "the canary is empty" test ! -e "$canary/u/probe"
}

test_an_overlay_whose_layer_names_reach_nothing_is_refused() {
        local canary=$PROT/c2 id
        detached_overlay "$TD" "$canary"
        bind_bundle "$TD/b" "$TD/B"
        new_id id
        assert_status 1 "run exits 1" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "its upperdir $TD/A/u no longer reaches a directory" "the name reaches nothing"
        assert_ok "the canary is empty" test ! -e "$canary/u/probe"
}

test_an_overlay_mounted_through_a_symlink_is_refused() {
        local id
        mkdir -p "$TD/real/u" "$TD/real/w" "$TD/lower" "$TD/B"
        ln -s real "$TD/link"
        mount -t overlay overlay -o "lowerdir=$TD/lower,upperdir=$TD/link/u,workdir=$TD/link/w" "$TD/B"
        bind_bundle "$TD/b" "$TD/B"
        new_id id
        assert_status 1 "run exits 1" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "its upperdir $TD/link/u goes through a symlink" "the symlink is named"
}

test_a_bind_of_an_overlay_whose_layers_are_its_names_runs() {
        local id
        mkdir -p "$TD/u" "$TD/w" "$TD/l1" "$TD/l2" "$TD/B" "$TD/R"
        echo lower >"$TD/l2/f"
        mount -t overlay overlay -o "lowerdir=$TD/l1:$TD/l2,upperdir=$TD/u,workdir=$TD/w" "$TD/B"
        # read-only: no upper directory, the first lower is its root
        mount -t overlay overlay -o "lowerdir=$TD/l2:$TD/l1" "$TD/R"
        bind_bundle "$TD/b" "$TD/B"
        add_bind "$TD/b" "$TD/R" /r
        spec_set "$TD/b" '.process.args = ["sh", "-c", "cat /r/f && echo written >/b/probe && echo WROTE"]'
        new_id id
        assert_ok "the binds of both overlays run" rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "lower" "inside: the read-only overlay is read"
        assert_contains "$out" "WROTE" "inside: the container wrote /b"
        assert_eq written "$(cat "$TD/u/probe" 2>&1)" "the write is in the upper layer"
}

# The overlay is put over a plain bind source after the check, in the
# host's mount namespace (as an engine would): verification finds the
# bind's layers are not what their names say.
test_an_overlay_put_over_a_bind_source_after_the_check_is_refused_by_verification() {
        local canary=$PROT/c3 id
        mkdir -p "$TD/S" "$TD/d"
        bind_bundle "$TD/b" "$TD/S"
        printf '%s\n' '#!/bin/sh' \
                'case " $* " in *" create "*)' \
                "        mkdir -p '$canary/u' '$canary/w' '$TD/d/A' '$TD/d/lower'" \
                "        mount --bind '$canary' '$TD/d/A'" \
                "        mount -t overlay overlay -o 'lowerdir=$TD/d/lower,upperdir=$TD/d/A/u,workdir=$TD/d/A/w' '$TD/S'" \
                "        umount -l '$TD/d/A'; mkdir -p '$TD/d/A/u' '$TD/d/A/w' ;;" \
                'esac' \
                "exec '$REAL_RUNC' \"\$@\"" >"$TD/rt"
        chmod +x "$TD/rt"
        new_id id
        assert_status 1 "run exits 1" rh --harden-runtime "$TD/rt" run --bundle "$TD/b" "$id"
        assert_contains "$err" "/b is a bind of the overlay the host has mounted at $TD/S" \
                "verification judges the overlay's layers"
        assert_contains "$err" "(untrusted-layer)" "with untrusted-layer"
        assert_eq absent "$(container_status "$id")" "the container was deleted before it could start"
        assert_ok "the canary is empty" test ! -e "$canary/u/probe"
}

run_tests
