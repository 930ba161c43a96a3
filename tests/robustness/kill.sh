# shellcheck shell=bash
# Sourced by the robustness scripts that SIGKILL a create in the middle of
# a fix (test-faults.sh, test-tempfiles.sh).

# killed_create BUNDLE ID: a create of BUNDLE through runc-harden (/bin/true
# as the runtime), SIGKILLed after a random 0-3 ms.
killed_create() {
        local delay
        delay=$(printf '0.%04d' $((RANDOM % 31)))
        # A subshell, so that bash's "Killed" notice goes nowhere.
        (timeout -s KILL "${delay}s" "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime /bin/true \
                --root "$STATE" create --bundle "$1" "$2" >/dev/null 2>&1) 2>/dev/null || true
}

# count_config BUNDLE ROUND: BUNDLE's config.json is the old ($old) or the
# fixed ($new) version, counted in n_old and n_new; anything else is torn,
# counted in n_bad and kept as $TD/bad-ROUND.json.
count_config() {
        local got
        got=$(sha "$1/config.json")
        if [ "$got" = "$old" ]; then
                n_old=$((n_old + 1))
        elif [ "$got" = "$new" ]; then
                n_new=$((n_new + 1))
        else
                n_bad=$((n_bad + 1))
                cp "$1/config.json" "$TD/bad-$2.json"
        fi
}
