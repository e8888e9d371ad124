#!/usr/bin/env bash
# Builds the sample base image from Debian's busybox-static with `docker import`:
# no registry on the internet is reachable here, so every image Horizon runs in tests
# and samples starts from this one.
#
# Reproducible: building twice on the same busybox-static package gives the same image id.
# The root filesystem tarball is byte-for-byte stable (sorted entries, fixed modes, mtimes and
# owners), so the layer digest depends only on the busybox build. `docker import` stamps the
# image config with the import time, which alone would change the id on every build; the
# imported image is therefore saved, its "created" times set to the epoch, and loaded back.
#
# The tag is the busybox package version: hzn/busybox:<version>; `hzn/busybox:latest`
# points at the same image. Prints the tag on its last line.
#   HZN_BASE_IMAGE_REPO     repository to tag (default hzn/busybox), e.g. a scratch name to check
#                           reproducibility without touching the image the tests use
#   HZN_BASE_IMAGE_REBUILD  1 = build even when the tag already holds a reproducible image
set -euo pipefail
umask 022

BUSYBOX=/bin/busybox
REPO="${HZN_BASE_IMAGE_REPO:-hzn/busybox}"
EPOCH=1970-01-01T00:00:00Z
command -v docker >/dev/null || { echo "docker CLI missing: run tools/setup.sh" >&2; exit 1; }
[[ -x "$BUSYBOX" ]] && "$BUSYBOX" --list-full >/dev/null 2>&1 \
  || { echo "$BUSYBOX (busybox-static) missing: run tools/setup.sh" >&2; exit 1; }

version="$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || true)"
[[ -n "$version" ]] || version="$("$BUSYBOX" | head -n1 | awk '{print $2}')"
# Docker tags allow [A-Za-z0-9_.-]; Debian versions may carry ':' and '+'.
tag="$REPO:$(printf '%s' "${version#*:}" | tr -c 'A-Za-z0-9_.-' '_')"

# An image built before the build was reproducible carries its import time: build it again.
created="$(docker image inspect --format '{{.Created}}' "$tag" 2>/dev/null || true)"
if [[ "${HZN_BASE_IMAGE_REBUILD:-0}" != 1 && "$created" == 1970-01-01T00:00:00* ]]; then
  echo "base image $tag already present" >&2
  docker tag "$tag" "$REPO:latest"
  echo "$tag"
  exit 0
fi

work="$(mktemp -d)"
imported="hzn-base-import/$(basename "$work" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '-'):tmp"
trap 'docker rmi "$imported" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,www,root}
chmod 1777 "$rootfs/tmp"
cp "$BUSYBOX" "$rootfs/bin/busybox"
chmod 0755 "$rootfs/bin/busybox"
while read -r applet; do
  [[ "$applet" == bin/busybox ]] && continue
  mkdir -p "$rootfs/$(dirname "$applet")"
  ln -sf /bin/busybox "$rootfs/$applet"
done < <("$BUSYBOX" --list-full)
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
chmod 0644 "$rootfs/etc/passwd" "$rootfs/etc/group"

tar --sort=name --mtime='@0' --owner=0 --group=0 --numeric-owner \
    -C "$rootfs" -cf "$work/rootfs.tar" .

echo "importing $tag from busybox-static $version" >&2
docker import \
  --change 'CMD ["/bin/sh"]' \
  --change "LABEL org.openhorizon.horizon.base=busybox-static org.openhorizon.horizon.busybox-version=$version" \
  "$work/rootfs.tar" "$imported" >/dev/null

# Pin the creation time: the image id is the digest of the config, which holds it.
saved="$work/saved"
mkdir -p "$saved"
docker save "$imported" | tar -x -C "$saved"
config_name="$(sed -E 's/.*"Config":"([^"]+)".*/\1/' "$saved/manifest.json")"
layer="$(sed -E 's/.*"Layers":\["([^"]+)"\].*/\1/' "$saved/manifest.json")"
[[ -f "$saved/$config_name" && -f "$saved/$layer" ]] \
  || { echo "unexpected docker save layout: $(cat "$saved/manifest.json")" >&2; exit 1; }
sed -E "s/\"created\":\"[^\"]*\"/\"created\":\"$EPOCH\"/g" "$saved/$config_name" > "$work/config.json"
id="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
load="$work/load"
mkdir -p "$load/layer"
mv "$work/config.json" "$load/$id.json"
mv "$saved/$layer" "$load/layer/layer.tar"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer/layer.tar"]}]\n' "$id" "$tag" > "$load/manifest.json"
tar --sort=name --mtime='@0' --owner=0 --group=0 --numeric-owner -C "$load" -cf - . | docker load >/dev/null
[[ "$(docker image inspect --format '{{.Id}}' "$tag")" == "sha256:$id" ]] \
  || { echo "docker load did not give $tag the id sha256:$id" >&2; exit 1; }
docker tag "$tag" "$REPO:latest"
echo "image id sha256:$id" >&2
echo "$tag"
