#!/usr/bin/env bash
# Builds the images of the Open Horizon-format examples (greeting, sensor, location, publisher)
# from the hzn/busybox base (tools/images/build-base-image.sh) without `docker build`, since
# nothing can be pulled here: a container of the base image gets the service's script as
# /service.sh, then `docker commit` bakes in the command. Tags them
# REGISTRY/oh-examples/<name>:VERSION and, when REGISTRY_USER and REGISTRY_PASSWORD are set,
# logs in (DOCKER_CONFIG is honoured) and pushes them.
#
#   REGISTRY=127.0.0.1:5000 REGISTRY_USER=alice REGISTRY_PASSWORD=secret ./build-images.sh [version]
set -euo pipefail

REGISTRY="${REGISTRY:-127.0.0.1:5000}"
VERSION="${1:-${SERVICE_VERSION:-1.0.0}}"
BASE="${BASE_IMAGE:-hzn/busybox:latest}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

docker image inspect "$BASE" >/dev/null 2>&1 \
  || { echo "base image $BASE missing: run tools/setup.sh (or tools/images/build-base-image.sh)" >&2; exit 1; }

built=()
for name in greeting sensor location publisher; do
  tag="$REGISTRY/oh-examples/$name:$VERSION"
  container="oh-example-build-$name-$$"
  docker rm -f "$container" >/dev/null 2>&1 || true
  # The script goes in on standard input: no bind mount, so this works against a remote engine too.
  docker run -i --name "$container" --network none "$BASE" sh -c 'cat > /service.sh && chmod 0755 /service.sh' < "$HERE/$name/service.sh" >/dev/null
  docker commit --change 'CMD ["/bin/sh", "/service.sh"]' \
    --change "LABEL org.openhorizon.horizon.example=open-horizon org.openhorizon.horizon.example.version=$VERSION" \
    "$container" "$tag" >/dev/null
  docker rm "$container" >/dev/null
  echo "built $tag" >&2
  built+=("$tag")
done

if [[ -n "${REGISTRY_USER:-}" && -n "${REGISTRY_PASSWORD:-}" ]]; then
  printf '%s' "$REGISTRY_PASSWORD" | docker login "$REGISTRY" -u "$REGISTRY_USER" --password-stdin >/dev/null
  for tag in "${built[@]}"; do
    docker push "$tag" >/dev/null
  done
  echo "pushed ${built[*]}" >&2
fi
printf '%s\n' "${built[@]}"
