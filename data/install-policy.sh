#!/bin/sh
# meson install step: writes the built-in policy to the policy path when no
# policy exists there yet; an operator's policy is never replaced.
set -eu
bin=$1
policy=$2
dest=${DESTDIR:-}$policy
if [ -e "$dest" ]; then
        echo "runc-harden: keeping the existing policy $dest"
        exit 0
fi
mkdir -p "$(dirname "$dest")"
tmp=$dest.new.$$
"${DESTDIR:-}$bin" policy show >"$tmp"
chmod 0644 "$tmp"
mv "$tmp" "$dest"
echo "runc-harden: wrote the built-in policy to $dest"
