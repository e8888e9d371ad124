#!/usr/bin/env bash
# Builds the two hello-edge images from the hzn/busybox base (tools/images/build-base-image.sh)
# without `docker build` (nothing can be pulled here): a container of the base image gets its
# files, then `docker commit` bakes in the command. Tags them REGISTRY/hzn-examples/<name>:VERSION
# and, when REGISTRY_USER and REGISTRY_PASSWORD are set, logs in and pushes them.
#
#   REGISTRY=127.0.0.1:5000 REGISTRY_USER=alice REGISTRY_PASSWORD=secret ./build-images.sh [version]
#
# DOCKER_CONFIG is honoured, so a private login does not touch ~/.docker.
set -euo pipefail

REGISTRY="${REGISTRY:-127.0.0.1:5000}"
VERSION="${1:-${SERVICE_VERSION:-1.0.0}}"
BASE="${BASE_IMAGE:-hzn/busybox:latest}"
PRODUCER="$REGISTRY/hzn-examples/hello-producer:$VERSION"
CONSUMER="$REGISTRY/hzn-examples/hello-consumer:$VERSION"

docker image inspect "$BASE" >/dev/null 2>&1 \
  || { echo "base image $BASE missing: run tools/setup.sh (or tools/images/build-base-image.sh)" >&2; exit 1; }

# commit_image NAME TAG CMD-JSON SCRIPT: runs SCRIPT in a throwaway container of the base image,
# then commits it with CMD-JSON as its command and removes the container.
commit_image() {
  local name="$1" tag="$2" cmd="$3" script="$4" container
  container="hzn-build-$name-$$"
  docker rm -f "$container" >/dev/null 2>&1 || true
  docker run --name "$container" --network none "$BASE" sh -c "$script" >/dev/null
  docker commit \
    --change "CMD $cmd" \
    --change "LABEL org.openhorizon.horizon.example=hello-edge org.openhorizon.horizon.example.version=$VERSION" \
    "$container" "$tag" >/dev/null
  docker rm "$container" >/dev/null
  echo "built $tag" >&2
}

# The producer serves HELLO_MESSAGE (a user input the node agent injects) on port 8080. httpd as
# PID 1 would ignore SIGTERM, so sh stays PID 1 with a trap and waits for it (see the consumer).
commit_image producer "$PRODUCER" \
  '["sh", "-c", "trap \"exit 0\" TERM; mkdir -p /www && echo \"${HELLO_MESSAGE:-hello}\" > /www/index.html && httpd -f -p 8080 -h /www & wait $!"]' \
  'mkdir -p /www'

# The consumer reads the producer by its service name over the producer's private network.
# busybox `wget -T` segfaults here, so `timeout` bounds each call instead. As PID 1, sh ignores
# SIGTERM unless it traps it; the trap plus an interruptible `wait` lets `docker stop` (and the
# node agent's teardown) end it at once instead of after the 10 s kill timeout.
commit_image consumer "$CONSUMER" \
  '["sh", "-c", "trap \"exit 0\" TERM; while true; do echo \"$(date -u +%H:%M:%S) $(timeout 3 wget -q -O - http://${PRODUCER_HOST:-hello-producer}:8080/ 2>&1 || echo unreachable)\"; sleep 5 & wait $!; done"]' \
  'true'

if [[ -n "${REGISTRY_USER:-}" && -n "${REGISTRY_PASSWORD:-}" ]]; then
  printf '%s' "$REGISTRY_PASSWORD" | docker login "$REGISTRY" -u "$REGISTRY_USER" --password-stdin >/dev/null
  docker push "$PRODUCER" >/dev/null
  docker push "$CONSUMER" >/dev/null
  echo "pushed $PRODUCER and $CONSUMER" >&2
fi
echo "$PRODUCER"
echo "$CONSUMER"
