#!/usr/bin/env bash
# Prepares a Debian 12 machine (as root) to build, test and run Horizon.
# Idempotent: every step checks before it acts, so running it twice is cheap.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKERD_LOG="${HZN_DOCKERD_LOG:-/var/log/horizon-dockerd.log}"
# prometheus: the Prometheus test and `quickstart.sh --with-prometheus`; chromium: the console's browser tests (headless, no browser download).
APT_PACKAGES=(nats-server docker.io busybox-static docker-registry apache2-utils postgresql prometheus chromium)

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'setup.sh: FAILED: %s\n' "$*" >&2; exit 1; }

need_root() {
  [[ "$(id -u)" == 0 ]] || fail "run as root: it installs Debian packages and starts dockerd"
}

install_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    step "system packages already installed: ${APT_PACKAGES[*]}"
    return
  fi
  need_root
  step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || fail "apt-get update did not succeed (is the Debian mirror reachable?)"
  apt-get install -y -q --no-install-recommends "${missing[@]}" \
    || fail "apt-get install ${missing[*]} did not succeed"
}

engine_answers() { timeout 10 docker version >/dev/null 2>&1; }

start_dockerd() {
  if engine_answers; then
    step "Docker engine already answers"
    return
  fi
  need_root
  step "starting dockerd (log: $DOCKERD_LOG)"
  # No systemd here: dockerd runs detached so it outlives this script and the test run.
  setsid nohup /usr/sbin/dockerd >>"$DOCKERD_LOG" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    engine_answers && { step "Docker engine is up"; return; }
    sleep 1
  done
  tail -n 30 "$DOCKERD_LOG" >&2 || true
  fail "dockerd did not answer within 60 s; see $DOCKERD_LOG"
}

build_images() {
  step "building the sample base image"
  "$ROOT/tools/images/build-base-image.sh" || fail "tools/images/build-base-image.sh did not succeed"
}

build_solution() {
  step "building Horizon.sln"
  dotnet build "$ROOT/Horizon.sln" -c "${CONFIGURATION:-Debug}" -nologo -v:minimal \
    || fail "dotnet build Horizon.sln did not succeed"
}

command -v dotnet >/dev/null || fail "the .NET 10 SDK (dotnet) is not on PATH"
install_packages
start_dockerd
build_images
[[ "${HZN_SETUP_SKIP_BUILD:-0}" == 1 ]] || build_solution
step "setup complete"
