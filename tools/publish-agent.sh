#!/usr/bin/env bash
# Publishes the node agent as it ships: one NativeAOT executable for linux-x64 (Horizon.NodeAgent)
# with the two native libraries it loads beside it (libe_sqlite3.so, libsodium.so).
# Warnings are errors, trim and AOT warnings included (ILC gets --warnaserror from TreatWarningsAsErrors).
#
#   tools/publish-agent.sh [OUT]          # default OUT: artifacts/node-agent (git-ignored)
#
# Prints where the executable is and how long the publish took; the log goes to OUT.log.
# The intermediate files go to $HZN_PUBLISH_ARTIFACTS/node-agent (default artifacts/node-agent-build),
# away from the solution's bin/ and obj/, so a publish never races a Debug build of the same projects.
# A second run with the same folder and nothing changed skips the native compilation (seconds).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/artifacts/node-agent}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
LOG="$OUT.log"
ARTIFACTS="${HZN_PUBLISH_ARTIFACTS:+$HZN_PUBLISH_ARTIFACTS/node-agent}"
ARTIFACTS="${ARTIFACTS:-$ROOT/artifacts/node-agent-build}"

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
