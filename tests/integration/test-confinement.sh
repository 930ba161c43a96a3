#!/bin/bash
# Confinement on real runtimes: a container without a seccomp profile gets
# runc-harden's default one and runs under it (Seccomp: 2, busybox and the
# loopback network work, unshare/mount/keyctl/ptrace/... fail with EPERM),
# on runc and on crun; extra capabilities and privileged exec processes are
# refused before the runtime runs. The LSM rules only warn here: this host's
# kernel has neither AppArmor nor SELinux (the unit tests drive them through
# the lsm_host seam).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

CONFINEMENT_RULES='["capabilities","seccomp","apparmor","selinux"]'
REAL_CRUN=${REAL_CRUN:-/usr/bin/crun}
CRUN_STATE=$T/crun-state
mkdir -p "$CRUN_STATE"
EXTRA_ROOTS+=("$REAL_CRUN $CRUN_STATE")

# The foundation plus this family, everything else off.
FOUNDATION_RULES=$(jq -c -n --argjson a "$FOUNDATION_RULES" --argjson b "$CONFINEMENT_RULES" '$a + $b') \
        write_foundation_policy "$RH_POLICY"

# The same policy with the seccomp rule off: what runs without a profile.
NO_SECCOMP_POLICY=$T/policy-no-seccomp.json
jq '.rules.seccomp.action = "off"' "$RH_POLICY" >"$NO_SECCOMP_POLICY"

# runc-harden in front of crun, with crun's own state directory.
rh_crun() {
        timeout -k 5 60 "$RUNC_HARDEN" --harden-runtime "$REAL_CRUN" ${RH_POLICY:+--harden-policy "$RH_POLICY"} \
                --root "$CRUN_STATE" "$@"
}

# ---------------------------------------------------------------- the probe

# A static program that makes the system calls busybox cannot: one line
# "name=RESULT" each, RESULT being "ok" or the errno name.
PROBE_SRC='
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *name, long r)
{
        printf("%s=%s\n", name, r >= 0 ? "ok" : strerrorname_np(errno));
}

int main(void)
{
        long r;
        say("getpid", syscall(SYS_getpid));
        r = socket(AF_INET, SOCK_STREAM, 0);
        say("socket", r);
        say("personality_query", personality(0xffffffff));
        say("personality_addr_no_randomize", personality(ADDR_NO_RANDOMIZE));
        /* clone first: after unshare this process is in a user
         * namespace without a uid map, where a nested one is refused. */
        r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (r == 0)
                _exit(0);
        if (r > 0)
                waitpid((pid_t) r, NULL, 0);
        say("clone_newuser", r);
        say("unshare_user", unshare(CLONE_NEWUSER));
        say("clone3", syscall(SYS_clone3, NULL, 0));
        say("setns", setns(-1, 0));
        say("ptrace", ptrace(PTRACE_TRACEME, 0, 0, 0));
        say("keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3 /* session */, 0));
        say("add_key", syscall(SYS_add_key, "user", "rh-probe", "x", 1, -3));
        say("request_key", syscall(SYS_request_key, "user", "rh-probe-none", NULL, 0));
        say("bpf", syscall(SYS_bpf, 0, NULL, 0));
        say("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
        say("userfaultfd", syscall(SYS_userfaultfd, 1 /* UFFD_USER_MODE_ONLY */));
        say("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL));
        say("mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL));
        say("umount2", syscall(SYS_umount2, "/proc", 0));
        say("pivot_root", syscall(SYS_pivot_root, ".", "."));
        say("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
        say("init_module", syscall(SYS_init_module, NULL, 0, ""));
        say("finit_module", syscall(SYS_finit_module, -1, "", 0));
        say("delete_module", syscall(SYS_delete_module, "rh_none", 0));
        say("swapon", syscall(SYS_swapon, "/nonexistent", 0));
        say("swapoff", syscall(SYS_swapoff, "/nonexistent"));
        say("reboot", syscall(SYS_reboot, 0, 0, 0, NULL));
        say("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, NULL, 0));
        return 0;
}
'

# Refused by the default profile whatever the container's capabilities.
PROBE_REFUSED="unshare_user clone_newuser setns ptrace keyctl add_key request_key bpf perf_event_open userfaultfd
io_uring_setup mount umount2 pivot_root kexec_load init_module finit_module delete_module swapon swapoff reboot
open_by_handle_at personality_addr_no_randomize"
# Of those, the ones that succeed or fail otherwise (EBADF, EFAULT...) when
# there is no profile: the profile is what refuses them.
PROBE_ONLY_SECCOMP="unshare_user clone_newuser setns ptrace perf_event_open userfaultfd io_uring_setup
personality_addr_no_randomize"

probe_build() {
        [ -x "$T/probe" ] && return 0
        printf '%s' "$PROBE_SRC" >"$T/probe.c"
        "${CC:-cc}" -static -O1 -o "$T/probe" "$T/probe.c"
}

# The commands the container runs; all output on stdout.
# shellcheck disable=SC2016 # expanded by the container's shell
WORKLOAD='exec 2>&1
grep "^Seccomp:" /proc/self/status
grep "^NoNewPrivs:" /proc/self/status
ls / >/dev/null && echo ls=ok
cat /etc/passwd >/dev/null && echo cat=ok
sleep 0.1 && echo sleep=ok
echo echo=ok
ip addr show lo | grep -q "inet 127.0.0.1" && echo ip=ok
httpd -f -p 127.0.0.1:8080 -h /www & sleep 0.3
wget -q -O - http://127.0.0.1:8080/index.html
echo hi | nc 127.0.0.1 8080 | grep -q "HTTP/" && echo nc=ok
kill $!
echo "unshare: $(unshare -U true 2>&1 && echo succeeded)"
echo "mount: $(mount -t tmpfs tmpfs /tmp 2>&1 && echo succeeded)"
/bin/probe'

# confined_bundle DIR: a busybox bundle with the workload, the applets it
# uses, a page to serve and the probe.
confined_bundle() {
        local a
        make_bundle "$1" sh -c "$WORKLOAD"
        for a in ip httpd wget nc unshare kill; do ln -sf busybox "$1/rootfs/bin/$a"; done
        mkdir -p "$1/rootfs/www"
        echo page=served >"$1/rootfs/www/index.html"
        probe_build
        cp "$T/probe" "$1/rootfs/bin/probe"
}

# expect_confined WHAT: $out is the workload's output under the default
# profile.
expect_confined() {
        local what=$1 s
        assert_match "$out" $'Seccomp:\t2' "$what: Seccomp: 2 (a filter is installed)"
        assert_match "$out" $'NoNewPrivs:\t1' "$what: NoNewPrivs: 1"
        for s in ls cat sleep echo ip nc; do
                assert_contains "$out" "$s=ok" "$what: busybox $s works"
        done
        assert_contains "$out" "page=served" "$what: wget from httpd on 127.0.0.1 works"
        assert_contains "$out" "unshare(0x10000000): Operation not permitted" \
                "$what: busybox unshare -U: Operation not permitted"
        assert_not_contains "$out" "unshare: succeeded" "$what: unshare did not succeed"
        # busybox words EPERM from mount(2) its own way
        assert_contains "$out" "mount: mount: permission denied" "$what: busybox mount: permission denied (EPERM)"
        for s in getpid socket personality_query; do
                assert_contains "$out" "$s=ok" "$what: $s is allowed"
        done
        for s in $PROBE_REFUSED; do
                assert_contains "$out" "$s=EPERM" "$what: $s fails with EPERM"
        done
        assert_contains "$out" "clone3=ENOSYS" "$what: clone3 says ENOSYS (libc falls back to clone)"
}

# ---------------------------------------------------------------- seccomp

test_runc_runs_the_container_under_the_injected_default_profile() {
        local id
        new_id id
        confined_bundle "$TD/b"
        assert_eq null "$(spec_get "$TD/b" .linux.seccomp)" "the bundle has no seccomp profile"
        assert_ok "run on runc" rh run --bundle "$TD/b" "$id"
        expect_confined runc
        assert_finding "$err" "fixed by policy" seccomp /linux/seccomp "the fix is logged"
        assert_eq '"SCMP_ACT_ERRNO"' "$(spec_get "$TD/b" .linux.seccomp.defaultAction)" "config.json: defaultAction"
        assert_eq 1 "$(spec_get "$TD/b" .linux.seccomp.defaultErrnoRet)" "config.json: defaultErrnoRet 1 (EPERM)"
        assert_eq "$(jq -c . "$RH_SRC/data/seccomp-default.json")" "$(spec_get "$TD/b" .linux.seccomp)" \
                "config.json: the profile is data/seccomp-default.json"
}

test_without_a_profile_the_same_calls_get_through() {
        local id s
        new_id id
        confined_bundle "$TD/b"
        RH_POLICY=$NO_SECCOMP_POLICY
        assert_ok "run on runc with the seccomp rule off" rh run --bundle "$TD/b" "$id"
        assert_match "$out" $'Seccomp:\t0' "no filter"
        assert_contains "$out" "unshare: succeeded" "busybox unshare -U succeeds without the profile"
        for s in $PROBE_ONLY_SECCOMP; do
                assert_not_contains "$out" "$s=EPERM" "$s is not refused without the profile"
        done
}

test_crun_runs_the_container_under_the_injected_default_profile() {
        local id
        new_id id
        crun_prepare_host
        confined_bundle "$TD/b"
        assert_ok "run on crun" rh_crun run --bundle "$TD/b" "$id"
        expect_confined crun
        assert_finding "$err" "fixed by policy" seccomp /linux/seccomp "the fix is logged"
}

test_a_profile_that_allows_everything_is_replaced() {
        local id
        new_id id
        confined_bundle "$TD/b"
        spec_set "$TD/b" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}'
        assert_ok "run with an allow-all profile" rh run --bundle "$TD/b" "$id"
        expect_confined "allow-all replaced"
        assert_finding "$err" "fixed by policy" seccomp /linux/seccomp/defaultAction "the fix names defaultAction"
}

test_an_invalid_profile_is_refused_before_runc_runs() {
        local id before
        new_id id
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
                "syscalls": [{"names": ["mount", "unshare_typo"], "action": "SCMP_ACT_ERRNO"}]}'
        before=$(sha "$TD/b/config.json")
        assert_status 1 "create with a misspelt refused system call" rh create --bundle "$TD/b" "$id"
        assert_contains "$err" "spec-invalid: /linux/seccomp/syscalls/0/names/1" "spec-invalid names the name"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged"
}

# ---------------------------------------------------------------- capabilities

# expect_caps_refused DIR WHAT NEEDLE: create is denied by the capabilities rule.
expect_caps_refused() {
        local b=$1 what=$2 needle=$3 id before
        new_id id
        before=$(sha "$b/config.json")
        assert_status 1 "$what: create exits 1" rh create --bundle "$b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: capabilities: /process/capabilities/" \
                "$what: stderr names the rule"
        assert_contains "$err" "$needle" "$what: the message says why"
        assert_eq absent "$(container_status "$id")" "$what: runc made no container"
        assert_not_contains "$(runc_ list -q)" "$id" "$what: runc list does not show it"
        assert_eq "$before" "$(sha "$b/config.json")" "$what: config.json is unchanged"
}

test_sys_admin_is_refused_before_runc_runs() {
        make_bundle "$TD/b"
        spec_set "$TD/b" '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
        expect_caps_refused "$TD/b" "CAP_SYS_ADMIN in bounding" "CAP_SYS_ADMIN"
        make_bundle "$TD/c"
        spec_set "$TD/c" '.process.capabilities.ambient = ["cap_sys_admin"]'
        expect_caps_refused "$TD/c" "cap_sys_admin in ambient" "CAP_SYS_ADMIN"
}

test_a_privileged_container_is_refused_in_plain_words() {
        make_bundle "$TD/b"
        # shellcheck disable=SC2016 # a jq variable
        spec_set "$TD/b" '.process.capabilities = $caps' --argjson caps \
                "$(jq -c .process.capabilities "$RH_CORPUS/docker/privileged.json")"
        expect_caps_refused "$TD/b" "docker run --privileged capabilities" "privileged containers are refused"
}

test_a_fix_policy_drops_extra_capabilities() {
        local id
        new_id id
        jq '.rules.capabilities.action = "fix"' "$RH_POLICY" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b" sh -c 'grep ^CapBnd: /proc/self/status'
        spec_set "$TD/b" '.process.capabilities.bounding += ["CAP_SYS_ADMIN", "CAP_NET_ADMIN"]'
        assert_ok "run with CAP_SYS_ADMIN under a fix policy" rh run --bundle "$TD/b" "$id"
        assert_eq '["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' "$(spec_get "$TD/b" .process.capabilities.bounding)" \
                "config.json: the extra capabilities are gone"
        # AUDIT_WRITE (29), KILL (5), NET_BIND_SERVICE (10)
        assert_match "$out" $'CapBnd:\t0000000020000420' "the container's bounding set has the three"
}

# ---------------------------------------------------------------- exec

# process_file SRC DEST ARGS...: an exec process file from the corpus with
# another command.
process_file() {
        local src=$1 dest=$2
        shift 2
        jq '.args = $ARGS.positional | .env = ["PATH=/bin"]' --args "$@" <"$src" >"$dest"
}

test_a_privileged_exec_is_refused_and_a_plain_exec_works() {
        local id before
        new_id id
        make_bundle "$TD/b"
        assert_ok "create" rh create --bundle "$TD/b" "$id"
        assert_ok "start" runc_ start "$id"
        wait_status "$id" running

        process_file "$RH_CORPUS/docker/exec-privileged.process.json" "$TD/priv.json" cat /proc/self/status
        before=$(sha "$TD/priv.json")
        assert_status 1 "exec --process with docker exec --privileged's capabilities" \
                rh exec --process "$TD/priv.json" "$id"
        assert_contains "$err" "denied by policy: capabilities: /capabilities/bounding" "the denial names the set"
        assert_contains "$err" "privileged processes are refused" "the message says privileged is refused"
        assert_eq "$before" "$(sha "$TD/priv.json")" "the process file is unchanged"
        assert_eq "" "$out" "nothing ran"

        process_file "$RH_CORPUS/docker/exec-plain.process.json" "$TD/plain.json" cat /proc/self/status
        jq '.capabilities.effective += ["CAP_SYS_ADMIN"]' "$TD/plain.json" >"$TD/admin.json"
        assert_status 1 "exec --process adding CAP_SYS_ADMIN" rh exec --process "$TD/admin.json" "$id"
        assert_contains "$err" "CAP_SYS_ADMIN" "the denial names CAP_SYS_ADMIN"

        assert_ok "exec --process with docker exec's plain process" rh exec --process "$TD/plain.json" "$id"
        assert_match "$out" $'NoNewPrivs:\t1' "the exec process has NoNewPrivs 1"
        assert_match "$out" $'Seccomp:\t2' "the exec process runs under the container's filter"
        assert_match "$out" $'CapBnd:\t00000000a80425fb' "the exec process has Docker's default capabilities"
        assert_eq true "$(jq .noNewPrivileges "$TD/plain.json")" "the process file was fixed"
}

# ---------------------------------------------------------------- LSMs

test_without_apparmor_or_selinux_the_lsm_rules_only_warn() {
        local id
        if [ -e /sys/kernel/security/apparmor ] || [ -e /sys/fs/selinux/enforce ]; then
                echo "# this host has an LSM: skipped"
                return 0
        fi
        new_id id
        make_bundle "$TD/b" true
        assert_ok "run on a host without AppArmor and SELinux" rh run --bundle "$TD/b" "$id"
        assert_finding "$err" "warning from policy" apparmor /process/apparmorProfile "the host cannot enforce AppArmor" \
                "apparmor warns that the host cannot enforce it"
        assert_finding "$err" "warning from policy" selinux /process/selinuxLabel "the host cannot enforce SELinux" \
                "selinux warns that the host cannot enforce it"
        assert_eq null "$(spec_get "$TD/b" .process.apparmorProfile)" "no profile was set (runc could not apply it)"
        assert_eq null "$(spec_get "$TD/b" .process.selinuxLabel)" "no label was set"
}

run_tests
