#!/usr/bin/env bash
# Builds the sample base image from Debian's busybox-static with `docker import`:
# no registry on the internet is reachable here, so every image Horizon runs in tests
# and samples starts from this one.
#
# The root filesystem tarball is byte-for-byte reproducible (sorted entries, fixed
# mtimes and owners), so the image layer digest depends only on the busybox build.
# The tag is the busybox package version: hzn/busybox:<version>; `hzn/busybox:latest`
# points at the same image. Prints the tag on its last line.
set -euo pipefail

BUSYBOX=/bin/busybox
command -v docker >/dev/null || { echo "docker CLI missing: run tools/setup.sh" >&2; exit 1; }
[[ -x "$BUSYBOX" ]] && "$BUSYBOX" --list-full >/dev/null 2>&1 \
  || { echo "$BUSYBOX (busybox-static) missing: run tools/setup.sh" >&2; exit 1; }

version="$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || true)"
[[ -n "$version" ]] || version="$("$BUSYBOX" | head -n1 | awk '{print $2}')"
# Docker tags allow [A-Za-z0-9_.-]; Debian versions may carry ':' and '+'.
tag="hzn/busybox:$(printf '%s' "${version#*:}" | tr -c 'A-Za-z0-9_.-' '_')"

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag already present" >&2
  docker tag "$tag" hzn/busybox:latest
  echo "$tag"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,www,root}
chmod 1777 "$rootfs/tmp"
cp "$BUSYBOX" "$rootfs/bin/busybox"
while read -r applet; do
  [[ "$applet" == bin/busybox ]] && continue
  mkdir -p "$rootfs/$(dirname "$applet")"
  ln -sf /bin/busybox "$rootfs/$applet"
done < <("$BUSYBOX" --list-full)
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"

tar --sort=name --mtime='@0' --owner=0 --group=0 --numeric-owner \
    -C "$rootfs" -cf "$work/rootfs.tar" .

echo "importing $tag from busybox-static $version" >&2
docker import \
  --change 'CMD ["/bin/sh"]' \
  --change "LABEL org.openhorizon.horizon.base=busybox-static org.openhorizon.horizon.busybox-version=$version" \
  "$work/rootfs.tar" "$tag" >/dev/null
docker tag "$tag" hzn/busybox:latest
echo "$tag"
