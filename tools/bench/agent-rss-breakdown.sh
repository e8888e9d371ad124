#!/usr/bin/env bash
# Where the node agent's idle RSS goes: starts one build of the agent (default: the NativeAOT executable
# tools/publish-agent.sh makes) on an empty state folder of its own, waits for /readyz 200 and a settle,
# then prints the load, /proc/<pid>/smaps_rollup and the mappings holding more than 500 kB (RSS, size,
# address, permissions, file), then the executable's sections with what of each is resident
# (tools/bench/rss-by-section.cs), and kills the agent. Run it under flock /tmp/horizon-measure.lock.
# With PAGEOUT=SECONDS the section table is printed again SECONDS after the kernel was asked to page out the
# executable's file-backed pages (the working set of an idle agent in its executable, against start-up's residue).
#
#   tools/bench/agent-rss-breakdown.sh [EXECUTABLE] [PORT] [SETTLE_SECONDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${1:-$ROOT/artifacts/node-agent/Horizon.NodeAgent}"
PORT="${2:-8599}"
SETTLE="${3:-15}"
[[ -x "$BIN" ]] || { echo "agent-rss-breakdown.sh: no executable at $BIN (run tools/publish-agent.sh)" >&2; exit 2; }
STATE="$(mktemp -d)"
trap 'rm -rf "$STATE"' EXIT
NodeAgent__NodeId=bench NodeAgent__Organization=acme NodeAgent__StateDirectory="$STATE" \
  NodeAgent__ApiUrl="http://127.0.0.1:$PORT" Logging__LogLevel__Default=Warning "$BIN" >"$STATE/agent.log" 2>&1 &
PID=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || {
  echo "agent-rss-breakdown.sh: the agent never answered /readyz 200; its log ends:" >&2
  tail -n 20 "$STATE/agent.log" >&2
  kill "$PID" 2>/dev/null
  exit 1
}
sleep "$SETTLE"
echo "$BIN, idle ${SETTLE} s after ready; $(uptime)"
grep -E '^(Rss|Anonymous|Private_Dirty|Private_Clean|Shared_Clean):' "/proc/$PID/smaps_rollup"
grep -E '^(Threads|RssAnon|RssFile):' "/proc/$PID/status"
echo "rss_kB size_kB mapping"
awk '/^[0-9a-f]+-[0-9a-f]+ /{hdr=$1" "$2" "$6} /^Size:/{size=$2} /^Rss:/{if ($2 > 500) print $2, size, hdr}' "/proc/$PID/smaps" | sort -rn
dotnet run "$ROOT/tools/bench/rss-by-section.cs" -- "$PID" ${PAGEOUT:+--pageout "$PAGEOUT"}
kill "$PID"
wait "$PID" 2>/dev/null || true
