#!/usr/bin/env bash
# Builds the QEMU guest the PHC and systemd tests boot (run as root; idempotent, a no-op when up to date):
#  - the host packages qemu needs (qemu-system-x86, busybox-static, cpio);
#  - a Debian kernel (linux-image-*-amd64 from the archive): its vmlinuz and the few modules the guest loads,
#    e1000e (the NIC whose driver registers /dev/ptp0), virtio-9p (the host's root and the control directory)
#    and overlay (a writable root), each after the modules it depends on;
#  - an initramfs: busybox and scripts/qemu/guest-init.sh as /init.
# All of it goes to $PPS2PHC_QEMU_CACHE (default /var/cache/pps2phc-qemu); nothing is written to the checkout.
#
# Environment: PPS2PHC_QEMU_CACHE; PPS2PHC_QEMU_KERNEL (a kernel package name, default: the one cached, else the
# one linux-image-amd64 depends on).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${PPS2PHC_QEMU_CACHE:-/var/cache/pps2phc-qemu}
wanted_modules=(e1000e virtio_pci 9pnet_virtio 9p overlay)

fail() { echo "build-guest: $*" >&2; exit 69; }
[ "$(id -u)" = 0 ] || { echo "build-guest: run as root (apt-get, mknod)" >&2; exit 77; }

need=()
for p in qemu-system-x86 busybox-static cpio gzip; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "build-guest: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
fi
mkdir -p "$cache"

# ---- the kernel: vmlinuz and the modules, in load order
kernel_pkg=${PPS2PHC_QEMU_KERNEL:-}
if [ -z "$kernel_pkg" ] && [ -s "$cache/kernel-package" ]; then
    kernel_pkg=$(cat "$cache/kernel-package")
fi
latest_kernel() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }
if [ -z "$kernel_pkg" ]; then
    kernel_pkg=$(latest_kernel)
    [ -n "$kernel_pkg" ] || { apt-get update -qq; kernel_pkg=$(latest_kernel); }
    [ -n "$kernel_pkg" ] || fail "no linux-image-*-amd64 package known to apt (set PPS2PHC_QEMU_KERNEL)"
fi
kdir=$cache/$kernel_pkg

# The name of each module a .ko file needs, from its "depends=" modinfo field.
module_depends() { tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | tr ',' ' '; }

if [ ! -s "$kdir/vmlinuz" ] || [ ! -s "$kdir/modules.order" ]; then
    work=$(mktemp -d "$cache/.work.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    echo "build-guest: downloading $kernel_pkg" >&2
    (cd "$work" && apt-get download -qq -o APT::Sandbox::User=root "$kernel_pkg") \
        || { apt-get update -qq && (cd "$work" && apt-get download -qq -o APT::Sandbox::User=root "$kernel_pkg"); } \
        || fail "apt-get download $kernel_pkg failed"
    dpkg-deb -x "$work"/*.deb "$work/pkg"
    kver=$(ls "$work/pkg/lib/modules")
    modroot=$work/pkg/lib/modules/$kver
    mkdir -p "$work/out/modules"
    cp "$work/pkg/boot/vmlinuz-$kver" "$work/out/vmlinuz"
    echo "$kver" >"$work/out/kernel-version"

    declare -A ko=() placed=()
    while IFS= read -r f; do
        name=$(basename "$f" .ko)
        ko[${name//-/_}]=$f
    done < <(find "$modroot/kernel" -name '*.ko')
    order=()
    place() {   # puts a module after everything it depends on
        local m=${1//-/_} dep
        [ -z "${placed[$m]:-}" ] || return 0
        placed[$m]=1
        if [ -z "${ko[$m]:-}" ]; then
            grep -q "/$m.ko\$" "$modroot/modules.builtin" 2>/dev/null && return 0
            fail "module $m is neither in $kernel_pkg nor built in (compressed modules are not handled)"
        fi
        for dep in $(module_depends "${ko[$m]}"); do place "$dep"; done
        cp "${ko[$m]}" "$work/out/modules/$m.ko"
        order+=("$m")
    }
    for m in "${wanted_modules[@]}"; do place "$m"; done
    printf '%s\n' "${order[@]}" >"$work/out/modules.order"
    rm -rf "$kdir"
    mv "$work/out" "$kdir"
    rm -rf "$work"
    trap - EXIT
    echo "build-guest: kernel $kver, modules in order: ${order[*]}" >&2
fi
echo "$kernel_pkg" >"$cache/kernel-package"

# ---- the initramfs, rebuilt when the init script, the modules or busybox change
sum=$(cat "$src/guest-init.sh" "$kdir/modules.order" /bin/busybox | sha256sum | cut -d' ' -f1)
if [ ! -s "$kdir/initrd.gz" ] || [ "$(cat "$kdir/initrd.sum" 2>/dev/null)" != "$sum" ]; then
    work=$(mktemp -d "$cache/.work.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    root=$work/root
    mkdir -p "$root"/{bin,dev,proc,sys,ctl,host,upper,newroot,modules}
    cp /bin/busybox "$root/bin/"
    for applet in $(/bin/busybox --list); do
        [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
    done
    mknod -m 600 "$root/dev/console" c 5 1
    mknod -m 666 "$root/dev/null" c 1 3
    cp "$kdir"/modules/*.ko "$kdir/modules.order" "$root/modules/"
    install -m 755 "$src/guest-init.sh" "$root/init"
    (cd "$root" && find . -print0 | cpio --null --create --format=newc --quiet | gzip -1) >"$work/initrd.gz"
    mv "$work/initrd.gz" "$kdir/initrd.gz"
    echo "$sum" >"$kdir/initrd.sum"
    rm -rf "$work"
    trap - EXIT
fi
ln -sfn "$kernel_pkg" "$cache/current"
