#!/bin/bash
# `runc-harden setup system` below a fake host (--root): a runc owned by a
# package in a dpkg database of its own, so that dpkg-divert records the
# move there and the machine's own runc is never touched. The engines
# behind the real /usr/sbin/runc are the engine suite's (test-setup-system).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v dpkg-divert >/dev/null || skip_all "no dpkg-divert: setup system is for Debian"

PRIVATE=/usr/libexec/runc-harden/runc
DROPIN=/etc/containers/containers.conf.d/90-runc-harden.conf

# fake_debian DIR: runc 1.1.5's files as Debian lays them out (the binary in
# /usr/sbin, a symlink in /usr/bin), a dpkg database that knows them,
# podman's configuration directory, and runc-harden in /usr/local/bin.
fake_debian() {
        local r=$1
        mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/usr/sbin" "$r/usr/bin" "$r/usr/local/bin" \
                "$r/etc/containers"
        printf 'Package: runc\nStatus: install ok installed\nPriority: optional\nSection: devel\nMaintainer: nobody\nArchitecture: amd64\nVersion: 1.1.5+ds1-1\nDescription: fake runc\n\n' \
                >"$r/var/lib/dpkg/status"
        printf '/.\n/usr\n/usr/bin\n/usr/bin/runc\n/usr/sbin\n/usr/sbin/runc\n' >"$r/var/lib/dpkg/info/runc.list"
        : >"$r/var/lib/dpkg/diversions"
        printf '#!/bin/sh\necho the real runc\n' >"$r/usr/sbin/runc"
        chmod 755 "$r/usr/sbin/runc"
        ln -s ../sbin/runc "$r/usr/bin/runc"
        cp "$RUNC_HARDEN" "$r/usr/local/bin/runc-harden"
        touch "$r/usr/bin/dockerd" "$r/usr/bin/podman"
        chmod 755 "$r/usr/bin/dockerd" "$r/usr/bin/podman"
        printf '#!/bin/sh\nexit 0\n' >"$r/usr/bin/crun"
        chmod 755 "$r/usr/bin/crun"
}

# setup_system ARGS...: below $R, runc-harden being $R/usr/local/bin/runc-harden.
setup_system() {
        rh_own setup system --root "$R" --path /usr/local/bin/runc-harden "$@"
}

# state: what setup touches, one line each (inode and bytes of runc, the
# diversions, the private runc, the drop-in).
state() {
        stat -c '%i %F' "$R/usr/sbin/runc"
        sha "$R/usr/sbin/runc"
        readlink "$R/usr/sbin/runc" || true
        dpkg-divert --root="$R" --list
        ls -i "$R/usr/libexec/runc-harden" 2>/dev/null || echo "no private dir"
        cat "$R$DROPIN" 2>/dev/null || echo "no drop-in"
        ls "$R/etc/containers"
}

# bypasses: host-runtime-bypass findings of an audit of the fake host.
bypasses() {
        rh_own audit --root-dir "$R" --runc-harden "$R/usr/local/bin/runc-harden" --format json 2>/dev/null |
                jq -r '.results[] | select(.path == "host") | .findings[] | select(.rule == "host-runtime-bypass") | .pointer' || true
}

test_dry_run_prints_the_steps_and_changes_nothing() {
        R=$TD/root
        fake_debian "$R"
        state >"$TD/before"
        assert_ok "setup system --dry-run" setup_system --dry-run
        assert_contains "$out" "dry run" "it says it is a dry run"
        assert_contains "$out" "ln /usr/sbin/runc $PRIVATE" "the real runc gets its private name"
        assert_contains "$out" "dpkg-divert --root=$R --package runc-harden --no-rename --divert $PRIVATE --add /usr/sbin/runc" \
                "the diversion is shown as a command"
        assert_contains "$out" "ln -s /usr/local/bin/runc-harden /usr/sbin/runc.new && mv -T" "runc becomes a symlink"
        assert_contains "$out" "$DROPIN" "podman's drop-in is named"
        state >"$TD/after"
        assert_same_file "$TD/before" "$TD/after" "nothing changed"
}

test_setup_makes_runc_harden_the_runc_and_undo_puts_it_back() {
        local inode sum
        R=$TD/root
        fake_debian "$R"
        inode=$(stat -c %i "$R/usr/sbin/runc")
        sum=$(sha "$R/usr/sbin/runc")
        state >"$TD/before"
        assert_eq "/usr/sbin/runc
/etc/containers/containers.conf" "$(bypasses)" "before: runc on PATH and podman's crun are bypasses"

        assert_ok "setup system" setup_system
        assert_eq /usr/local/bin/runc-harden "$(readlink "$R/usr/sbin/runc")" "runc is a symlink to runc-harden"
        assert_eq "$inode" "$(stat -c %i "$R$PRIVATE")" "the real runc is at the private path, the same file"
        assert_eq "diversion of /usr/sbin/runc to $PRIVATE by runc-harden" "$(dpkg-divert --root="$R" --list)" \
                "dpkg knows runc's upgrades go to the private path"
        assert_eq runc-harden "$(dpkg --root="$R" -S /usr/sbin/runc | head -1 | sed 's/diversion by \([^ ]*\) .*/\1/')" \
                "dpkg -S shows the diversion"
        assert_contains "$(cat "$R$DROPIN")" 'runtime = "runc"' "podman's default runtime is runc"
        assert_contains "$out" "runc-harden setup system --undo" "it says how to undo"
        assert_eq "" "$(bypasses)" "after: no bypass left"

        assert_ok "setup system again" setup_system
        assert_contains "$out" "nothing to do" "a second setup changes nothing"

        assert_ok "setup system --undo" setup_system --undo
        assert_eq "$inode $sum" "$(stat -c %i "$R/usr/sbin/runc") $(sha "$R/usr/sbin/runc")" \
                "the same runc is back at /usr/sbin/runc"
        state >"$TD/after"
        assert_same_file "$TD/before" "$TD/after" "and everything else is as before (no diversion, drop-in or private dir)"
        assert_ok "setup system --undo again" setup_system --undo
        assert_contains "$out" "nothing to do" "a second undo changes nothing"
}

test_an_existing_drop_in_directory_is_kept_by_undo() {
        R=$TD/root
        fake_debian "$R"
        mkdir -p "$R/etc/containers/containers.conf.d"
        echo '[engine]' >"$R/etc/containers/containers.conf.d/10-site.conf"
        state >"$TD/before"
        assert_ok "setup system" setup_system
        assert_ok "setup system --undo" setup_system --undo
        state >"$TD/after"
        assert_same_file "$TD/before" "$TD/after" "the directory and its other file are left"
}

test_without_dpkg_or_a_package_the_steps_are_printed_and_nothing_done() {
        R=$TD/root
        fake_debian "$R"
        rm "$R/var/lib/dpkg/status"
        state >"$TD/before"
        assert_status 2 "no dpkg database: refused" setup_system
        assert_contains "$err" "no dpkg here" "it says why"
        assert_contains "$err" "ln /usr/sbin/runc $PRIVATE" "and prints the steps by hand"
        assert_contains "$err" "after every upgrade" "and what they leave to the operator"
        state >"$TD/after"
        assert_same_file "$TD/before" "$TD/after" "nothing changed"

        R=$TD/root2
        fake_debian "$R"
        printf '/.\n/usr\n' >"$R/var/lib/dpkg/info/runc.list"
        assert_status 2 "a runc no package owns: refused" setup_system
        assert_contains "$err" "no package owns /usr/sbin/runc" "it says why"
        assert_eq "" "$(dpkg-divert --root="$R" --list)" "no diversion"
}

test_undo_refuses_a_runc_someone_replaced() {
        R=$TD/root
        fake_debian "$R"
        assert_ok "setup system" setup_system
        rm "$R/usr/sbin/runc"
        printf '#!/bin/sh\necho another runc\n' >"$R/usr/sbin/runc"
        chmod 755 "$R/usr/sbin/runc"
        state >"$TD/before"
        assert_status 1 "setup system --undo refuses" setup_system --undo
        assert_contains "$err" "/usr/sbin/runc is not runc-harden" "it says what it found"
        state >"$TD/after"
        assert_same_file "$TD/before" "$TD/after" "and touches nothing"
        assert_status 1 "setup system refuses too" setup_system
        assert_contains "$err" "someone replaced it" "it says why"
}

test_a_failing_step_is_rolled_back() {
        R=$TD/root
        fake_debian "$R"
        # The drop-in comes last: its directory is a file, so writing it fails.
        echo 'not a directory' >"$R/etc/containers/containers.conf.d"
        state >"$TD/before"
        assert_status 1 "setup system fails at the drop-in" setup_system
        assert_contains "$err" "step failed" "it says which step failed"
        assert_contains "$err" "rolling back" "and that it rolls back"
        assert_not_contains "$err" "FAILED" "every step is undone"
        state >"$TD/after"
        assert_same_file "$TD/before" "$TD/after" "the system is as it was: runc, no diversion, no private copy"
}

test_unsafe_or_foreign_states_are_refused() {
        R=$TD/root
        fake_debian "$R"
        printf '#!/bin/sh\nexec /usr/local/bin/runc-harden "$@"\n' >"$R/usr/local/bin/wrapper"
        chmod 755 "$R/usr/local/bin/wrapper"
        assert_status 1 "a wrapper script as --path" rh_own setup system --root "$R" --path /usr/local/bin/wrapper
        assert_contains "$err" "not an executable binary" "is refused: it would call itself forever"
        cp "$R/usr/local/bin/runc-harden" "$R/usr/local/bin/open-rh"
        chmod 777 "$R/usr/local/bin/open-rh"
        assert_status 1 "a world-writable --path" rh_own setup system --root "$R" --path /usr/local/bin/open-rh
        assert_contains "$err" "writable by others" "is refused"
        mkdir -p "$R/etc/containers/containers.conf.d"
        echo '[engine]' >"$R$DROPIN"
        assert_status 1 "a drop-in runc-harden did not write" setup_system
        assert_contains "$err" "not written by runc-harden" "is not overwritten"
        rm "$R$DROPIN"
        dpkg-divert --root="$R" --package other --no-rename --divert /usr/sbin/runc.other --add /usr/sbin/runc >/dev/null
        assert_status 1 "runc diverted by another package" setup_system
        assert_contains "$err" "already diverted by other" "is left to it"
        assert_eq /usr/sbin/runc "$(dpkg-divert --root="$R" --truename /usr/sbin/runc | sed 's/\.other$//')" \
                "its diversion is kept"
}

test_an_explicit_runtime_that_is_runc_harden_itself_fails_clearly() {
        local id
        ln -s "$RUNC_HARDEN" "$TD/runc"
        new_id id
        make_bundle "$TD/b"
        capture timeout -k 5 60 "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime "$TD/runc" \
                --root "$STATE" run -d --bundle "$TD/b" "$id"
        assert_eq 1 "$rc" "run is refused"
        assert_contains "$err" "the runtime $TD/runc is runc-harden itself; point --harden-runtime at the real runc" \
                "with the message, instead of a loop"
        capture timeout -k 5 60 "$RUNC_HARDEN" --harden-runtime "$TD/runc" --root "$STATE" list
        assert_ne 0 "$rc" "a passthrough command fails too"
        assert_contains "$err" "is runc-harden itself" "with the same message"
}

run_tests
