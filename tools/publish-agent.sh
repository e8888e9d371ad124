#!/usr/bin/env bash
# Publishes the node agent as it ships: one NativeAOT executable for linux-x64 (Horizon.NodeAgent)
# with the two native libraries it loads beside it (libe_sqlite3.so, libsodium.so), and optionally
# installs it with its systemd unit.
# Warnings are errors, trim and AOT warnings included (ILC gets --warnaserror from TreatWarningsAsErrors).
#
#   tools/publish-agent.sh [OUT]                          # default OUT: artifacts/node-agent (git-ignored)
#   tools/publish-agent.sh --install DESTDIR [OUT]        # publish, then install under DESTDIR (/ on a node, as root)
#   tools/publish-agent.sh --install DESTDIR --no-publish [OUT]   # install what OUT already holds
#
# Installed: DESTDIR/usr/lib/horizon/node-agent/ (the executable and its two libraries), the unit
# node-agent/horizon-node-agent.service as DESTDIR/etc/systemd/system/horizon-node-agent.service,
# and DESTDIR/etc/horizon/ (0755) for the unit's EnvironmentFile, which the node owner writes (0600).
# Then: systemctl daemon-reload && systemctl enable --now horizon-node-agent.
#
# Prints where the executable is and how long the publish took; the log goes to OUT.log.
# The intermediate files go to $HZN_PUBLISH_ARTIFACTS/node-agent (default artifacts/node-agent-build),
# away from the solution's bin/ and obj/, so a publish never races a Debug build of the same projects.
# A second run with the same folder and nothing changed skips the native compilation (seconds).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DESTDIR=""
PUBLISH=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --install) [[ $# -ge 2 ]] || { echo "publish-agent.sh: --install needs a folder (/ on a node)" >&2; exit 2; }; DESTDIR="$2"; shift 2 ;;
    --no-publish) PUBLISH=0; shift ;;
    -*) echo "publish-agent.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
OUT="${1:-$ROOT/artifacts/node-agent}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
LOG="$OUT.log"
ARTIFACTS="${HZN_PUBLISH_ARTIFACTS:+$HZN_PUBLISH_ARTIFACTS/node-agent}"
ARTIFACTS="${ARTIFACTS:-$ROOT/artifacts/node-agent-build}"

if ((PUBLISH)); then
  # NativeAOT links with clang by default; Debian's gcc links it as well, and is what tools/setup.sh's
  # machine has when clang is not installed.
  linker=clang
  command -v clang >/dev/null || linker=gcc

  started=$(date +%s)
  # DebugType=none: ILC 10.0.12 crashed ("Read out of bounds") reading a referenced project's portable PDB,
  # and the shipped binary carries no symbols anyway.
  if ! dotnet publish "$ROOT/node-agent/Horizon.NodeAgent/Horizon.NodeAgent.csproj" -c Release -r linux-x64 -nologo -v:minimal \
    -p:PublishAot=true -p:CppCompilerAndLinker="$linker" -p:DebugType=none -p:DebugSymbols=false \
    --artifacts-path "$ARTIFACTS" -o "$OUT" >"$LOG" 2>&1; then
    grep -E 'error|warning' "$LOG" | sort -u | head -n 30 >&2 || tail -n 30 "$LOG" >&2
    echo "publish-agent.sh: publishing the node agent failed (log: $LOG)" >&2
    exit 1
  fi
  # The projects' XML documentation files are copied along; a node has no use for them.
  rm -f "$OUT"/*.xml
  echo "published the node agent to $OUT/Horizon.NodeAgent ($(stat -c %s "$OUT/Horizon.NodeAgent") bytes) in $(( $(date +%s) - started )) s"
fi

if [[ -n "$DESTDIR" ]]; then
  [[ -x "$OUT/Horizon.NodeAgent" ]] || { echo "publish-agent.sh: $OUT holds no published agent to install" >&2; exit 1; }
  mkdir -p "$DESTDIR"
  DESTDIR="$(cd "$DESTDIR" && pwd)"
  LIB="$DESTDIR/usr/lib/horizon/node-agent"
  install -d -m 0755 "$LIB" "$DESTDIR/etc/systemd/system" "$DESTDIR/etc/horizon"
  install -m 0755 "$OUT/Horizon.NodeAgent" "$LIB/Horizon.NodeAgent"
  for library in "$OUT"/*.so; do
    [[ -e "$library" ]] && install -m 0644 "$library" "$LIB/"
  done
  install -m 0644 "$ROOT/node-agent/horizon-node-agent.service" "$DESTDIR/etc/systemd/system/horizon-node-agent.service"
  echo "installed the node agent to $LIB and its unit to $DESTDIR/etc/systemd/system/horizon-node-agent.service"
fi
