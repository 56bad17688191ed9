#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian 12 machine (run as root).
# Each part lives in scripts/test-deps.d/*.sh, sourced in order. Package
# installs never start services: policy-rc.d refuses them for the duration.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "install-test-deps: run as root (apt-get)" >&2; exit 77; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DEBIAN_FRONTEND=noninteractive

policy=/usr/sbin/policy-rc.d
restore_policy() { if [ -e "$policy.pps2phc-saved" ]; then mv -f "$policy.pps2phc-saved" "$policy"; else rm -f "$policy"; fi; }
[ -e "$policy" ] && cp -p "$policy" "$policy.pps2phc-saved"
printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"
trap restore_policy EXIT

apt_updated=0
# apt_install PKG...: installs the packages that are missing, updating the lists once.
apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

apt_install maven openjdk-17-jdk-headless gcc libc6-dev linux-libc-dev
for part in "$here"/test-deps.d/*.sh; do
    [ -e "$part" ] || continue
    echo "install-test-deps: $(basename "$part")" >&2
    # shellcheck source=/dev/null
    . "$part"
done
