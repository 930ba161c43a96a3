#!/bin/bash
# Installs what runc-harden needs to build and test on Debian 12, as root.
# Idempotent: only missing packages are installed.
set -euo pipefail

packages=(
        meson ninja-build pkg-config gcc
        libyajl-dev libseccomp-dev libapparmor-dev libselinux1-dev libcap-ng-dev check
        runc crun busybox-static jq scdoc valgrind clang libclang-rt-14-dev util-linux python3
)

missing=()
for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
        echo "installing: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
