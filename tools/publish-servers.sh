#!/usr/bin/env bash
# Publishes the server components the way they run in production, one folder each under OUT:
#   OUT/exchange/Horizon.Exchange, OUT/switchboard/Horizon.Switchboard.Service, OUT/agbot/Horizon.Agbot
# NativeAOT executables for linux-x64 (PublishAot in each project; docs/benchmarks.md §7 says why:
# idle memory and first-request latency). Warnings are errors, trim and AOT warnings included.
#
#   tools/publish-servers.sh OUT [exchange|switchboard|agbot ...]   # default: all three
#
# Prints one line per component with the time it took; the publish log goes to OUT/<component>.log.
# Later runs reuse obj/ and are quick when nothing changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: $0 OUT [exchange|switchboard|agbot ...]}"
shift
declare -A PROJECTS=([exchange]=exchange/Horizon.Exchange [switchboard]=switchboard/Horizon.Switchboard.Service [agbot]=agbot/Horizon.Agbot)
components=("$@")
((${#components[@]} > 0)) || components=(exchange switchboard agbot)
mkdir -p "$OUT"
for component in "${components[@]}"; do
  project="${PROJECTS[$component]:-}"
  [[ -n "$project" ]] || { echo "publish-servers.sh: unknown component '$component' (exchange, switchboard, agbot)" >&2; exit 1; }
  started=$(date +%s)
  if ! dotnet publish "$ROOT/$project" -c Release -r linux-x64 -nologo -v:minimal -o "$OUT/$component" >"$OUT/$component.log" 2>&1; then
    grep -E 'error|warning' "$OUT/$component.log" | sort -u | head -n 30 >&2 || tail -n 30 "$OUT/$component.log" >&2
    echo "publish-servers.sh: publishing $component failed (log: $OUT/$component.log)" >&2
    exit 1
  fi
  echo "published $component to $OUT/$component in $(( $(date +%s) - started )) s"
done
