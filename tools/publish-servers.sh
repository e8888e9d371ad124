#!/usr/bin/env bash
# Publishes the server components the way they run in production, one folder each under OUT, each with
# an executable of the component's name: OUT/exchange/Horizon.Exchange,
# OUT/switchboard/Horizon.Switchboard.Service, OUT/agbot/Horizon.Agbot (linux-x64).
#
#   - all three: NativeAOT (PublishAot in their projects). No shared framework, no JIT: idle memory and
#     the first requests after a start are what docs/benchmarks.md §7 measures. The exchange's Dapper calls
#     are replaced at build time by Dapper.AOT's generated code, so nothing generates IL at run time.
#
# Warnings are errors, trim and AOT warnings included. GC settings for a small box are in each project.
#
#   tools/publish-servers.sh OUT [exchange|switchboard|agbot ...]   # default: all three
#
# Intermediate files go to $HZN_PUBLISH_ARTIFACTS (default OUT/.artifacts), not to the projects' bin/ and
# obj/, so a publish never replaces the build the tests run; a later run with the same folder only redoes
# what changed (the native compilation of an unchanged component is skipped).
# Prints one line per component with the time it took; the publish log goes to OUT/<component>.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: $0 OUT [exchange|switchboard|agbot ...]}"
shift
declare -A PROJECTS=([exchange]=exchange/Horizon.Exchange [switchboard]=switchboard/Horizon.Switchboard.Service [agbot]=agbot/Horizon.Agbot)
components=("$@")
((${#components[@]} > 0)) || components=(exchange switchboard agbot)
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
ARTIFACTS="${HZN_PUBLISH_ARTIFACTS:-$OUT/.artifacts}"
# NativeAOT links with the C toolchain: Debian's gcc (clang is the SDK's default and is not installed).
# DebugType=none: ILC 10.0.12 fails with "Read out of bounds" reading a referenced project's portable PDB.
native=(-p:CppCompilerAndLinker=gcc -p:DebugType=none -p:DebugSymbols=false)
for component in "${components[@]}"; do
  project="${PROJECTS[$component]:-}"
  [[ -n "$project" ]] || { echo "publish-servers.sh: unknown component '$component' (exchange, switchboard, agbot)" >&2; exit 1; }
  started=$(date +%s)
  if ! dotnet publish "$ROOT/$project" -c Release -r linux-x64 -nologo -v:minimal "${native[@]}" \
      --artifacts-path "$ARTIFACTS/$component" -o "$OUT/$component" >"$OUT/$component.log" 2>&1; then
    grep -E 'error|warning' "$OUT/$component.log" | sort -u | head -n 30 >&2 || tail -n 30 "$OUT/$component.log" >&2
    echo "publish-servers.sh: publishing $component failed (log: $OUT/$component.log)" >&2
    exit 1
  fi
  echo "published $component to $OUT/$component in $(( $(date +%s) - started )) s"
done
